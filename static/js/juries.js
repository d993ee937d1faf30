// Parchemin — jury pages. No inline scripts (Content Security Policy).
(function () {
  "use strict";
  // The live vote board polls every few seconds: skip the polls while the tab is hidden.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var source = event.detail && event.detail.elt;
    if (document.hidden && source && source.id === "board") { event.preventDefault(); }
  });
  // After a vote, keep the voted competence in view (the page reloads on its anchor).
  if (window.location.hash.indexOf("#competence-") === 0) {
    var target = document.getElementById(window.location.hash.slice(1));
    if (target) { target.classList.add("just-voted"); }
  }
})();
