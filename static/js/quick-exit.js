// Quick exit: the button (or the Escape key) replaces this page with a neutral one.
//
// - The current history entry is rewritten to the neutral page (history.replaceState) and then
//   replaced by it (location.replace), so this page is not in the history any more.
// - The tab's sessionStorage is emptied (the short list with it) and a mark is left there:
//   if Back reaches an earlier page of this site, static/js/ui.js sees the mark before that
//   page is painted and replaces it with the neutral page too.
// - Escape works only when the person is not typing (text field, text area, list box) and no
//   open list or menu has already used the key: a half-typed form is never lost to it.
(function () {
  "use strict";
  var control = document.querySelector("[data-quick-exit]");
  if (!control) {
    return;
  }
  var target = control.href;
  var EXITED = "filet-quick-exit";
  var TEXT_INPUTS = /^(text|search|email|password|number|tel|url|date|datetime-local|month|time|week)$/;
  var leaving = false;

  function sameOrigin(url) {
    try {
      return new URL(url, window.location.href).origin === window.location.origin;
    } catch (error) {
      return false;
    }
  }

  function leave(event) {
    if (event) {
      event.preventDefault();
    }
    if (leaving) {
      return;
    }
    leaving = true;
    document.documentElement.style.visibility = "hidden";
    document.title = "";
    try {
      window.sessionStorage.clear();  // the short list too
      window.sessionStorage.setItem(EXITED, target);
    } catch (error) {
      // storage may be disabled; leaving matters more
    }
    try {
      // Rewrite this entry first: even a page restored from the back-forward cache is gone.
      var neutral = sameOrigin(target) ? target : control.getAttribute("data-neutral");
      window.history.replaceState(null, "", neutral);
    } catch (error) {
      // an old browser without the History API still gets location.replace below
    }
    window.location.replace(target);
  }

  function isTyping(element) {
    if (!element || element === document.body) {
      return false;
    }
    var tag = element.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT" || element.isContentEditable) {
      return true;
    }
    if (tag === "INPUT") {
      return TEXT_INPUTS.test((element.getAttribute("type") || "text").toLowerCase());
    }
    return Boolean(element.closest("[role=listbox], [role=combobox], [role=menu], [aria-expanded=true]"));
  }

  control.addEventListener("click", leave);
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" && event.key !== "Esc") {
      return;
    }
    if (event.defaultPrevented || event.isComposing || isTyping(event.target) || isTyping(document.activeElement)) {
      return;
    }
    leave(event);
  });
})();
