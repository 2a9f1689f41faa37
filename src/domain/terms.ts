/*
 * Which terms documents the managed login shows. Cognito "directs users to the terms documents for
 * their current language, with fallback to default if no document exists for the language", and
 * shows them only once the app client has "both types of terms documents in at least one
 * language" (https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-managed-login.html#managed-login-terms-documents).
 * The page's language is the managed login's `lang` parameter.
 */

/** Managed login's `lang` values and the terms documents' language ID of each. */
const LANGUAGE_IDS: Readonly<Record<string, string>> = {
  de: 'cognito:german',
  en: 'cognito:english',
  es: 'cognito:spanish',
  fr: 'cognito:french',
  id: 'cognito:bahasa-indonesia',
  it: 'cognito:italian',
  ja: 'cognito:japanese',
  ko: 'cognito:korean',
  nl: 'cognito:dutch',
  'pt-br': 'cognito:portuguese-brazil',
  'zh-cn': 'cognito:chinese-simplified',
  'zh-tw': 'cognito:chinese-traditional',
};

/**
 * Whether a link may go into a page: an http or https URL. LinkUrlType's pattern lets through any
 * printable text, `javascript:` URLs among it, which must never become a clickable link.
 */
function webLink(link: string | undefined): string | undefined {
  if (link === undefined || !URL.canParse(link)) return undefined;
  const { protocol } = new URL(link);
  return protocol === 'https:' || protocol === 'http:' ? link : undefined;
}

/** A document's link for the page's language, else its `cognito:default` one; only web links count. */
export function termsLinkFor(links: Readonly<Record<string, string>>, lang: string | undefined): string | undefined {
  const language = lang === undefined ? undefined : LANGUAGE_IDS[lang.toLowerCase()];
  return webLink(language !== undefined ? links[language] : undefined) ?? webLink(links['cognito:default']);
}

/** The two links the sign-up page shows, or undefined unless the client has both documents for this language. */
export function signUpTermsLinks(
  documents: ReadonlyArray<{ termsName: string; links: Readonly<Record<string, string>> }>,
  lang: string | undefined,
): { termsOfUse: string; privacyPolicy: string } | undefined {
  const linkOf = (name: string): string | undefined => {
    const document = documents.find((d) => d.termsName === name);
    return document && termsLinkFor(document.links, lang);
  };
  const termsOfUse = linkOf('terms-of-use');
  const privacyPolicy = linkOf('privacy-policy');
  return termsOfUse !== undefined && privacyPolicy !== undefined ? { termsOfUse, privacyPolicy } : undefined;
}
