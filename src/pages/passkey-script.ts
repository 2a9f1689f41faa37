/**
 * The browser's half of a passkey ceremony on a managed-login page. The page's form carries the
 * server's options as JSON in `data-options` and says which ceremony in `data-passkey` (`get` to
 * sign in, `create` to register); the script turns the options' base64url fields into bytes,
 * calls `navigator.credentials.get` or `.create`, writes the answer as WebAuthn's JSON form
 * (AuthenticationResponseJSON, RegistrationResponseJSON) into the form's `credential` field and
 * sends the form, whose server side checks it through the sign-in engine and `auth/webauthn.ts`.
 *
 * A sign-in starts at once (the user asked for it on the page before); a registration waits for
 * its button. A refusal or a failure is said in the page's `#passkeyStatus`, and the button tries
 * again. It is inlined and allowed by the CSP by hash (`layout.ts`), and adds no handler attribute.
 *
 * @see https://www.w3.org/TR/webauthn-3/#sctn-parseCreationOptionsFromJSON
 */
export const PASSKEY_SCRIPT = `(function () {
  var form = document.querySelector('form[data-passkey]');
  if (!form) return;
  var mode = form.getAttribute('data-passkey');
  var field = form.querySelector('input[name="credential"]');
  var status = document.getElementById('passkeyStatus');
  var busy = false;
  function say(text) {
    if (status) status.textContent = text;
  }
  function bytes(text) {
    var base64 = text.replace(/-/g, '+').replace(/_/g, '/');
    var binary = atob(base64 + '===='.slice(base64.length % 4 || 4));
    var out = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
    return out;
  }
  function text(buffer) {
    var view = new Uint8Array(buffer);
    var binary = '';
    for (var i = 0; i < view.length; i++) binary += String.fromCharCode(view[i]);
    return btoa(binary).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
  }
  function withIds(list) {
    return (list || []).map(function (c) {
      return { type: c.type, id: bytes(c.id), transports: c.transports };
    });
  }
  function publicKey() {
    var options = JSON.parse(form.getAttribute('data-options') || '{}');
    options.challenge = bytes(options.challenge);
    if (mode === 'create') {
      options.user.id = bytes(options.user.id);
      options.excludeCredentials = withIds(options.excludeCredentials);
    } else {
      options.allowCredentials = withIds(options.allowCredentials);
    }
    return options;
  }
  function answer(credential) {
    var r = credential.response;
    var json = {
      id: credential.id,
      rawId: text(credential.rawId),
      type: credential.type,
      clientExtensionResults: credential.getClientExtensionResults(),
      response: { clientDataJSON: text(r.clientDataJSON) }
    };
    if (credential.authenticatorAttachment) json.authenticatorAttachment = credential.authenticatorAttachment;
    if (mode === 'create') {
      json.response.attestationObject = text(r.attestationObject);
      json.response.transports = r.getTransports ? r.getTransports() : [];
    } else {
      json.response.authenticatorData = text(r.authenticatorData);
      json.response.signature = text(r.signature);
      if (r.userHandle) json.response.userHandle = text(r.userHandle);
    }
    return JSON.stringify(json);
  }
  function run() {
    if (busy) return;
    if (!window.PublicKeyCredential || !navigator.credentials) {
      say('This browser cannot use passkeys.');
      return;
    }
    busy = true;
    say('Waiting for your passkey...');
    var ceremony = mode === 'create' ? navigator.credentials.create({ publicKey: publicKey() }) : navigator.credentials.get({ publicKey: publicKey() });
    ceremony.then(
      function (credential) {
        field.value = answer(credential);
        say('Checking your passkey...');
        form.submit();
      },
      function (error) {
        busy = false;
        say(error && error.name === 'NotAllowedError' ? 'The passkey request was cancelled or timed out. Try again.' : 'Your passkey could not be used. Try again.');
      }
    );
  }
  form.addEventListener('submit', function (event) {
    if (field.value !== '') return;
    event.preventDefault();
    run();
  });
  if (mode === 'get') run();
})();`;
