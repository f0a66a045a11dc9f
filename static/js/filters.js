// On a phone the case list's filters fold behind a "Filters" button above the results, so that
// the results come first (for the eye and for the keyboard). Without this script, or on a wider
// screen, the filters are shown as they are in the page.
(function () {
  "use strict";
  var button = document.querySelector(".filters-toggle");
  var panel = document.getElementById("filters");
  if (!button || !panel) return;
  var phone = window.matchMedia("(max-width: 760px)");
  function show(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    panel.hidden = !open;
  }
  function fit() {
    button.hidden = !phone.matches;
    show(!phone.matches);
  }
  button.addEventListener("click", function () {
    show(button.getAttribute("aria-expanded") !== "true");
  });
  phone.addEventListener("change", fit);
  fit();
})();
