// The console's only script of its own (no inline script: the CSP forbids it).
// 1. Every htmx request carries the CSRF token.
// 2. On a page with data-live-inbox, an EventSource listens to the console's
//    relay of the notifications service's stream; each new item fires
//    "inbox-changed" on <body>, and the inbox and worklist panels reload.
(function () {
  "use strict";
  var csrf = document.querySelector('meta[name="csrf-token"]');
  document.body.addEventListener("htmx:configRequest", function (event) {
    if (csrf) { event.detail.headers["X-CSRFToken"] = csrf.getAttribute("content"); }
  });

  var url = document.body.getAttribute("data-live-inbox");
  if (url && window.EventSource) {
    var source = new EventSource(url);
    source.addEventListener("inbox", function () {
      document.body.dispatchEvent(new CustomEvent("inbox-changed"));
    });
    source.addEventListener("open", function () {
      document.body.setAttribute("data-live", "connected");
    });
    source.addEventListener("error", function () {
      document.body.setAttribute("data-live", "reconnecting");
    });
  }
})();

// 3. A button with data-print prints the page (the print stylesheet keeps
//    only the document: the plain-language summary).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-print]") : null;
    if (target) { event.preventDefault(); window.print(); }
  });
})();
