// Quick exit: the button (or the Escape key) replaces this page with a neutral one.
// location.replace() keeps this page out of the history, so "Back" does not return here.
(function () {
  "use strict";
  var control = document.querySelector("[data-quick-exit]");
  if (!control) {
    return;
  }
  var target = control.getAttribute("href");

  function leave(event) {
    if (event) {
      event.preventDefault();
    }
    document.title = "";
    try {
      window.sessionStorage.clear();  // the short list too
    } catch (error) {
      // storage may be disabled; leaving matters more
    }
    document.body.style.visibility = "hidden";
    window.location.replace(target);
  }

  control.addEventListener("click", leave);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" || event.key === "Esc") {
      leave(event);
    }
  });
})();
