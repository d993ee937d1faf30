// Parchemin — referential pages. No inline scripts (Content Security Policy).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var target = event.target.closest && event.target.closest("[data-print]");
    if (target) { event.preventDefault(); window.print(); }
  });
})();
