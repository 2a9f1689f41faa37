/**
 * The sign-in page's texts in the languages Cognito's managed login offers through the `lang`
 * parameter of `/oauth2/authorize` and `/login`. Only the sign-in page is translated so far; the
 * other pages, form problems and the "Show password" toggle are English (docs/differences.md).
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-managed-login.html
 */

/** The languages of Cognito's managed login. */
export const PAGE_LANGUAGES = ['de', 'en', 'es', 'fr', 'id', 'it', 'ja', 'ko', 'pt-BR', 'zh-CN', 'zh-TW'] as const;
export type PageLanguage = (typeof PAGE_LANGUAGES)[number];

/** What the sign-in field asks for, from the pool's sign-in names. */
export type UsernameKind = 'username' | 'email' | 'phone' | 'emailOrPhone';

export interface SignInTexts {
  title: string;
  labels: Readonly<Record<UsernameKind, string>>;
  headings: Readonly<Record<UsernameKind, string>>;
  password: string;
  forgotPassword: string;
  submit: string;
  passkey: string;
  needAccount: string;
  signUp: string;
  or: string;
  corporate: string;
  social: string;
  continueWith: (provider: string) => string;
  legal: string;
}

const TEXTS: Readonly<Record<PageLanguage, SignInTexts>> = {
  en: {
    title: 'Sign in',
    labels: { username: 'Username', email: 'Email', phone: 'Phone number', emailOrPhone: 'Email or phone number' },
    headings: {
      username: 'Sign in with your username and password',
      email: 'Sign in with your email and password',
      phone: 'Sign in with your phone number and password',
      emailOrPhone: 'Sign in with your email or phone number and password',
    },
    password: 'Password',
    forgotPassword: 'Forgot your password?',
    submit: 'Sign in',
    passkey: 'Sign in with passkey',
    needAccount: 'Need an account?',
    signUp: 'Sign up',
    or: 'or',
    corporate: 'Sign in with your corporate ID',
    social: 'Sign in with your social account',
    continueWith: (provider) => `Continue with ${provider}`,
    legal: "We won't post to any of your accounts without asking first",
  },
  de: {
    title: 'Anmelden',
    labels: {
      username: 'Benutzername',
      email: 'E-Mail-Adresse',
      phone: 'Telefonnummer',
      emailOrPhone: 'E-Mail-Adresse oder Telefonnummer',
    },
    headings: {
      username: 'Melden Sie sich mit Ihrem Benutzernamen und Passwort an',
      email: 'Melden Sie sich mit Ihrer E-Mail-Adresse und Ihrem Passwort an',
      phone: 'Melden Sie sich mit Ihrer Telefonnummer und Ihrem Passwort an',
      emailOrPhone: 'Melden Sie sich mit Ihrer E-Mail-Adresse oder Telefonnummer und Ihrem Passwort an',
    },
    password: 'Passwort',
    forgotPassword: 'Passwort vergessen?',
    submit: 'Anmelden',
    passkey: 'Mit Passkey anmelden',
    needAccount: 'Noch kein Konto?',
    signUp: 'Registrieren',
    or: 'oder',
    corporate: 'Mit Ihrer Unternehmens-ID anmelden',
    social: 'Mit Ihrem Social-Media-Konto anmelden',
    continueWith: (provider) => `Weiter mit ${provider}`,
    legal: 'Wir veröffentlichen nichts in Ihren Konten, ohne Sie vorher zu fragen',
  },
  es: {
    title: 'Iniciar sesión',
    labels: {
      username: 'Nombre de usuario',
      email: 'Correo electrónico',
      phone: 'Número de teléfono',
      emailOrPhone: 'Correo electrónico o número de teléfono',
    },
    headings: {
      username: 'Inicie sesión con su nombre de usuario y contraseña',
      email: 'Inicie sesión con su correo electrónico y contraseña',
      phone: 'Inicie sesión con su número de teléfono y contraseña',
      emailOrPhone: 'Inicie sesión con su correo electrónico o número de teléfono y contraseña',
    },
    password: 'Contraseña',
    forgotPassword: '¿Olvidó su contraseña?',
    submit: 'Iniciar sesión',
    passkey: 'Iniciar sesión con una clave de acceso',
    needAccount: '¿Necesita una cuenta?',
    signUp: 'Registrarse',
    or: 'o',
    corporate: 'Inicie sesión con su ID corporativo',
    social: 'Inicie sesión con su cuenta de redes sociales',
    continueWith: (provider) => `Continuar con ${provider}`,
    legal: 'No publicaremos nada en sus cuentas sin preguntarle primero',
  },
  fr: {
    title: 'Se connecter',
    labels: {
      username: "Nom d'utilisateur",
      email: 'Adresse e-mail',
      phone: 'Numéro de téléphone',
      emailOrPhone: 'Adresse e-mail ou numéro de téléphone',
    },
    headings: {
      username: "Connectez-vous avec votre nom d'utilisateur et votre mot de passe",
      email: 'Connectez-vous avec votre adresse e-mail et votre mot de passe',
      phone: 'Connectez-vous avec votre numéro de téléphone et votre mot de passe',
      emailOrPhone: 'Connectez-vous avec votre adresse e-mail ou votre numéro de téléphone et votre mot de passe',
    },
    password: 'Mot de passe',
    forgotPassword: 'Mot de passe oublié ?',
    submit: 'Se connecter',
    passkey: "Se connecter avec une clé d'accès",
    needAccount: "Besoin d'un compte ?",
    signUp: "S'inscrire",
    or: 'ou',
    corporate: "Connectez-vous avec votre identifiant d'entreprise",
    social: 'Connectez-vous avec votre compte de réseau social',
    continueWith: (provider) => `Continuer avec ${provider}`,
    legal: 'Nous ne publierons rien sur vos comptes sans vous le demander',
  },
  id: {
    title: 'Masuk',
    labels: { username: 'Nama pengguna', email: 'Email', phone: 'Nomor telepon', emailOrPhone: 'Email atau nomor telepon' },
    headings: {
      username: 'Masuk dengan nama pengguna dan kata sandi Anda',
      email: 'Masuk dengan email dan kata sandi Anda',
      phone: 'Masuk dengan nomor telepon dan kata sandi Anda',
      emailOrPhone: 'Masuk dengan email atau nomor telepon dan kata sandi Anda',
    },
    password: 'Kata sandi',
    forgotPassword: 'Lupa kata sandi?',
    submit: 'Masuk',
    passkey: 'Masuk dengan kunci sandi',
    needAccount: 'Belum punya akun?',
    signUp: 'Daftar',
    or: 'atau',
    corporate: 'Masuk dengan ID perusahaan Anda',
    social: 'Masuk dengan akun media sosial Anda',
    continueWith: (provider) => `Lanjutkan dengan ${provider}`,
    legal: 'Kami tidak akan memposting ke akun Anda tanpa meminta izin terlebih dahulu',
  },
  it: {
    title: 'Accedi',
    labels: {
      username: 'Nome utente',
      email: 'Indirizzo e-mail',
      phone: 'Numero di telefono',
      emailOrPhone: 'Indirizzo e-mail o numero di telefono',
    },
    headings: {
      username: 'Accedi con nome utente e password',
      email: 'Accedi con indirizzo e-mail e password',
      phone: 'Accedi con numero di telefono e password',
      emailOrPhone: 'Accedi con indirizzo e-mail o numero di telefono e password',
    },
    password: 'Password',
    forgotPassword: 'Password dimenticata?',
    submit: 'Accedi',
    passkey: 'Accedi con una passkey',
    needAccount: 'Non hai un account?',
    signUp: 'Registrati',
    or: 'oppure',
    corporate: 'Accedi con il tuo ID aziendale',
    social: 'Accedi con il tuo account social',
    continueWith: (provider) => `Continua con ${provider}`,
    legal: 'Non pubblicheremo nulla sui tuoi account senza prima chiedertelo',
  },
  ja: {
    title: 'サインイン',
    labels: { username: 'ユーザー名', email: 'メールアドレス', phone: '電話番号', emailOrPhone: 'メールアドレスまたは電話番号' },
    headings: {
      username: 'ユーザー名とパスワードでサインイン',
      email: 'メールアドレスとパスワードでサインイン',
      phone: '電話番号とパスワードでサインイン',
      emailOrPhone: 'メールアドレスまたは電話番号とパスワードでサインイン',
    },
    password: 'パスワード',
    forgotPassword: 'パスワードをお忘れですか?',
    submit: 'サインイン',
    passkey: 'パスキーでサインイン',
    needAccount: 'アカウントをお持ちでないですか?',
    signUp: 'サインアップ',
    or: 'または',
    corporate: '企業 ID でサインイン',
    social: 'ソーシャルアカウントでサインイン',
    continueWith: (provider) => `${provider} で続行`,
    legal: 'お客様の許可なくアカウントに投稿することはありません',
  },
  ko: {
    title: '로그인',
    labels: { username: '사용자 이름', email: '이메일', phone: '전화번호', emailOrPhone: '이메일 또는 전화번호' },
    headings: {
      username: '사용자 이름과 암호로 로그인',
      email: '이메일과 암호로 로그인',
      phone: '전화번호와 암호로 로그인',
      emailOrPhone: '이메일 또는 전화번호와 암호로 로그인',
    },
    password: '암호',
    forgotPassword: '암호를 잊으셨나요?',
    submit: '로그인',
    passkey: '패스키로 로그인',
    needAccount: '계정이 필요하신가요?',
    signUp: '가입',
    or: '또는',
    corporate: '회사 ID로 로그인',
    social: '소셜 계정으로 로그인',
    continueWith: (provider) => `${provider}(으)로 계속`,
    legal: '먼저 묻지 않고 회원님의 계정에 게시하지 않습니다',
  },
  'pt-BR': {
    title: 'Entrar',
    labels: { username: 'Nome de usuário', email: 'E-mail', phone: 'Número de telefone', emailOrPhone: 'E-mail ou número de telefone' },
    headings: {
      username: 'Entre com seu nome de usuário e senha',
      email: 'Entre com seu e-mail e senha',
      phone: 'Entre com seu número de telefone e senha',
      emailOrPhone: 'Entre com seu e-mail ou número de telefone e senha',
    },
    password: 'Senha',
    forgotPassword: 'Esqueceu sua senha?',
    submit: 'Entrar',
    passkey: 'Entrar com uma chave de acesso',
    needAccount: 'Precisa de uma conta?',
    signUp: 'Cadastre-se',
    or: 'ou',
    corporate: 'Entre com seu ID corporativo',
    social: 'Entre com sua conta de rede social',
    continueWith: (provider) => `Continuar com ${provider}`,
    legal: 'Nunca publicaremos nada em suas contas sem pedir antes',
  },
  'zh-CN': {
    title: '登录',
    labels: { username: '用户名', email: '电子邮件', phone: '电话号码', emailOrPhone: '电子邮件或电话号码' },
    headings: {
      username: '使用您的用户名和密码登录',
      email: '使用您的电子邮件和密码登录',
      phone: '使用您的电话号码和密码登录',
      emailOrPhone: '使用您的电子邮件或电话号码和密码登录',
    },
    password: '密码',
    forgotPassword: '忘记密码?',
    submit: '登录',
    passkey: '使用通行密钥登录',
    needAccount: '需要账户?',
    signUp: '注册',
    or: '或',
    corporate: '使用您的企业 ID 登录',
    social: '使用您的社交账户登录',
    continueWith: (provider) => `使用 ${provider} 继续`,
    legal: '未经您的同意，我们不会在您的任何账户中发布内容',
  },
  'zh-TW': {
    title: '登入',
    labels: { username: '使用者名稱', email: '電子郵件', phone: '電話號碼', emailOrPhone: '電子郵件或電話號碼' },
    headings: {
      username: '使用您的使用者名稱和密碼登入',
      email: '使用您的電子郵件和密碼登入',
      phone: '使用您的電話號碼和密碼登入',
      emailOrPhone: '使用您的電子郵件或電話號碼和密碼登入',
    },
    password: '密碼',
    forgotPassword: '忘記密碼?',
    submit: '登入',
    passkey: '使用密碼金鑰登入',
    needAccount: '需要帳戶?',
    signUp: '註冊',
    or: '或',
    corporate: '使用您的企業 ID 登入',
    social: '使用您的社群帳戶登入',
    continueWith: (provider) => `使用 ${provider} 繼續`,
    legal: '未經您的同意，我們不會在您的任何帳戶中發布內容',
  },
};

/**
 * The page language a `lang` value asks for: one of Cognito's, matched without regard to case,
 * else the first of them with the same primary language (`pt` is pt-BR, `zh` zh-CN, `de-AT` de),
 * else English.
 */
export function pageLanguage(lang: string | undefined): PageLanguage {
  if (lang === undefined) return 'en';
  const wanted = lang.toLowerCase();
  const exact = PAGE_LANGUAGES.find((language) => language.toLowerCase() === wanted);
  if (exact) return exact;
  const primary = wanted.split('-')[0];
  return PAGE_LANGUAGES.find((language) => language.toLowerCase().split('-')[0] === primary) ?? 'en';
}

/** The sign-in page's texts for a `lang` value. */
export function signInTexts(lang: string | undefined): SignInTexts {
  return TEXTS[pageLanguage(lang)];
}
