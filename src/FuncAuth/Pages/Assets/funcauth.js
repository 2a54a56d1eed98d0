// The pages FuncAuth serves itself. A link in a message carries its token in the URL fragment (#token=...), which
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

  takeToken();
  autoSubmit();

  // A second link opened in a tab already showing the page changes only the fragment: no new load, so no new run.
  window.addEventListener("hashchange", takeToken);
})();
