// The pages FuncAuth serves itself. It also drives the passkey buttons (sign-in page, account page). A link in a message carries its token in the URL fragment (#token=...), which
// browsers never send to a server, so the token is in no request log, proxy log or telemetry. This script, the only
// one the pages load (their Content-Security-Policy allows no other), moves it into the form and out of the URL.
(function () {
  "use strict";

  function takeToken() {
    var hash = window.location.hash;
    if (!hash || hash.length < 2) {
      return;
    }

    var token = new URLSearchParams(hash.substring(1)).get("token");

    // The fragment goes from the address bar and from history at once, whatever it held: the token must not be kept
    // in the browser's history, shared by a copied address or shown over someone's shoulder.
    window.history.replaceState(window.history.state, "", window.location.pathname + window.location.search);

    if (!token) {
      return;
    }

    var fields = document.querySelectorAll("input[data-funcauth-token]");
    for (var i = 0; i < fields.length; i++) {
      fields[i].value = token;
    }

    // The token came with the link: the box to paste it by hand is not needed.
    var fallbacks = document.querySelectorAll("[data-funcauth-token-fallback]");
    for (var j = 0; j < fallbacks.length; j++) {
      fallbacks[j].hidden = true;
    }
  }

  // A form marked data-funcauth-autosubmit is sent as soon as the page loads (the authorization endpoint's form_post
  // answer, which carries the code to the app). Without JavaScript its Continue button sends it.
  function autoSubmit() {
    var forms = document.querySelectorAll("form[data-funcauth-autosubmit]");
    for (var i = 0; i < forms.length; i++) {
      forms[i].submit();
    }
  }

  // Passkeys (WebAuthn). Binary fields travel as base64url in JSON (WebAuthn Level 3): the browser's own
  // PublicKeyCredential.parse…OptionsFromJSON and toJSON() when it has them, the same conversion by hand when not.
  function fromBase64Url(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    var binary = atob(base64 + "===".slice((base64.length + 3) % 4));
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) {
      bytes[i] = binary.charCodeAt(i);
    }

    return bytes.buffer;
  }

  function toBase64Url(buffer) {
    var bytes = new Uint8Array(buffer);
    var binary = "";
    for (var i = 0; i < bytes.length; i++) {
      binary += String.fromCharCode(bytes[i]);
    }

    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function withIds(list) {
    return (list || []).map(function (item) {
      var copy = Object.assign({}, item);
      copy.id = fromBase64Url(item.id);
      return copy;
    });
  }

  function requestOptions(json) {
    if (typeof PublicKeyCredential.parseRequestOptionsFromJSON === "function") {
      return PublicKeyCredential.parseRequestOptionsFromJSON(json);
    }

    var options = Object.assign({}, json);
    options.challenge = fromBase64Url(json.challenge);
    options.allowCredentials = withIds(json.allowCredentials);
    return options;
  }

  function creationOptions(json) {
    if (typeof PublicKeyCredential.parseCreationOptionsFromJSON === "function") {
      return PublicKeyCredential.parseCreationOptionsFromJSON(json);
    }

    var options = Object.assign({}, json);
    options.challenge = fromBase64Url(json.challenge);
    options.user = Object.assign({}, json.user, { id: fromBase64Url(json.user.id) });
    options.excludeCredentials = withIds(json.excludeCredentials);
    return options;
  }

  function credentialJson(credential) {
    if (typeof credential.toJSON === "function") {
      return JSON.stringify(credential.toJSON());
    }

    var response = credential.response;
    var written = { clientDataJSON: toBase64Url(response.clientDataJSON) };
    if (response.attestationObject) {
      written.attestationObject = toBase64Url(response.attestationObject);
      written.transports = typeof response.getTransports === "function" ? response.getTransports() : [];
    } else {
      written.authenticatorData = toBase64Url(response.authenticatorData);
      written.signature = toBase64Url(response.signature);
      if (response.userHandle) {
        written.userHandle = toBase64Url(response.userHandle);
      }
    }

    return JSON.stringify({
      id: credential.id,
      rawId: toBase64Url(credential.rawId),
      type: credential.type,
      response: written,
      clientExtensionResults: credential.getClientExtensionResults(),
      authenticatorAttachment: credential.authenticatorAttachment || null
    });
  }

  // The options some answers wrap as { publicKey: … } (what navigator.credentials takes) are read either way.
  function unwrap(json) {
    return json && json.publicKey ? json.publicKey : json;
  }

  // One message at a time, announced (role="alert"), placed before the form it is about.
  function showError(form, text) {
    var id = "passkey-error";
    var alert = document.getElementById(id);
    if (!alert) {
      alert = document.createElement("p");
      alert.id = id;
      alert.className = "alert";
      alert.setAttribute("role", "alert");
      form.parentNode.insertBefore(alert, form);
    }

    alert.textContent = text;
  }

  function failure(error) {
    if (error && error.name === "NotAllowedError") {
      return "The passkey request was cancelled or timed out. Try again.";
    }

    if (error && error.name === "InvalidStateError") {
      return "This passkey is already registered for your account.";
    }

    return "The passkey could not be used here. Try again, or use your password.";
  }

  // The sign-in page: "Sign in with a passkey" asks this origin for options, lets the browser ask the authenticator,
  // and posts the assertion in the form (with its anti-forgery token and the carried authorization request).
  function passkeySignIn() {
    var sections = document.querySelectorAll("[data-funcauth-passkey-signin]");
    for (var i = 0; i < sections.length; i++) {
      var section = sections[i];
      var form = section.querySelector("form[data-funcauth-passkey-options]");
      var button = section.querySelector("[data-funcauth-passkey-get]");
      if (!form || !button) {
        continue;
      }

      section.hidden = false;
      button.addEventListener("click", function (form, button) {
        return function () {
          button.disabled = true;
          fetch(form.getAttribute("data-funcauth-passkey-options"), { method: "POST", credentials: "same-origin", headers: { "Accept": "application/json" } })
            .then(function (answer) {
              if (!answer.ok) {
                throw new Error("options " + answer.status);
              }

              return answer.json();
            })
            .then(function (json) {
              return navigator.credentials.get({ publicKey: requestOptions(unwrap(json)) });
            })
            .then(function (credential) {
              form.querySelector("input[name=credential]").value = credentialJson(credential);
              form.submit();
            })
            .catch(function (error) {
              button.disabled = false;
              showError(form, failure(error));
            });
        };
      }(form, button));
    }
  }

  // The account page: "Add a passkey" creates a credential from the options the page came with, then sends the form
  // (the name and the password typed, the attestation in its hidden field).
  function passkeyCreate() {
    var forms = document.querySelectorAll("form[data-funcauth-passkey-create]");
    for (var i = 0; i < forms.length; i++) {
      var form = forms[i];
      form.hidden = false;
      var unsupported = document.querySelectorAll("[data-funcauth-passkeys-unsupported]");
      for (var j = 0; j < unsupported.length; j++) {
        unsupported[j].hidden = true;
      }

      form.addEventListener("submit", function (form) {
        return function (event) {
          event.preventDefault();
          var button = form.querySelector("button[type=submit]");
          button.disabled = true;
          var json;
          try {
            json = JSON.parse(form.getAttribute("data-funcauth-passkey-create"));
          } catch (e) {
            button.disabled = false;
            showError(form, failure(e));
            return;
          }

          navigator.credentials.create({ publicKey: creationOptions(unwrap(json)) })
            .then(function (credential) {
              form.querySelector("input[name=credential]").value = credentialJson(credential);
              form.submit();
            })
            .catch(function (error) {
              button.disabled = false;
              showError(form, failure(error));
            });
        };
      }(form));
    }
  }

  takeToken();
  autoSubmit();
  if (window.PublicKeyCredential && navigator.credentials) {
    passkeySignIn();
    passkeyCreate();
  }

  // A second link opened in a tab already showing the page changes only the fragment: no new load, so no new run.
  window.addEventListener("hashchange", takeToken);
})();
