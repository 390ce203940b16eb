// Filet's small interface helpers, loaded in <head> without `defer` (it must run before the
// first paint):
// 1. marks <html> as scripted (`js` class) so the phone menu starts collapsed;
// 2. after a quick exit, a page reached again with Back is replaced by the neutral page before
//    it is shown (see quick-exit.js);
// 3. the phone menu button (aria-expanded; Escape closes it), through `filet.disclosure`, which
//    the search filters use too;
// 4. an error summary takes the focus, and its links move the focus to their field;
// 5. a status message (after a swap or an exclusion) is announced and the focus moves to the
//    element that changed.
(function () {
  "use strict";
  var root = document.documentElement;
  var EXITED = "filet-quick-exit";
  root.classList.add("js");

  function exitTarget() {
    try {
      return window.sessionStorage.getItem(EXITED);
    } catch (error) {
      return null;
    }
  }

  function bounce(target) {
    root.style.visibility = "hidden";
    window.location.replace(target);
  }

  var exited = exitTarget();
  if (exited) {
    var entries = window.performance && performance.getEntriesByType ? performance.getEntriesByType("navigation") : [];
    if (entries.length && entries[0].type === "back_forward") {
      bounce(exited);
      return;
    }
    // A deliberate visit (a link, a typed address): the site works again.
    try {
      window.sessionStorage.removeItem(EXITED);
    } catch (error) {
      // nothing to forget
    }
  }
  window.addEventListener("pageshow", function (event) {
    var target = exitTarget();
    if (event.persisted && target) {
      bounce(target);
    }
  });

  function focusElement(element) {
    if (!element) {
      return;
    }
    if (!element.matches("a[href], button, input, select, textarea, [tabindex]")) {
      element.setAttribute("tabindex", "-1");
    }
    element.focus({ preventScroll: true });
    element.scrollIntoView({ block: "center" });
  }

  // A button that shows and hides part of the page (aria-expanded). Escape pressed within
  // `scope` while it is open closes it and puts the focus back on the button; the quick exit
  // leaves a key so used alone. `onChange(open)` shows or hides the part. Returns the function
  // that opens (true) or closes (false) it. The phone menu and the search filters use it.
  function disclosure(toggle, scope, onChange) {
    function setOpen(open) {
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      onChange(open);
    }
    toggle.addEventListener("click", function () {
      setOpen(toggle.getAttribute("aria-expanded") !== "true");
    });
    scope.addEventListener("keydown", function (event) {
      if ((event.key === "Escape" || event.key === "Esc") && toggle.getAttribute("aria-expanded") === "true") {
        event.preventDefault();
        setOpen(false);
        toggle.focus();
      }
    });
    return setOpen;
  }
  window.filet = {disclosure: disclosure};

  function setUpMenu() {
    var toggle = document.querySelector("[data-nav-toggle]");
    var header = toggle && toggle.closest(".site-header");
    if (!header) {
      return;
    }
    disclosure(toggle, header, function (open) {
      header.classList.toggle("nav-open", open);
    });
  }

  function setUpErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) {
      return false;
    }
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var field = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!field) {
        return;
      }
      event.preventDefault();
      field.focus({ preventScroll: true });
      var group = field.closest("fieldset") || field.closest(".field") || field;
      group.scrollIntoView({ block: "start" });
    });
    summary.focus();
    return true;
  }

  function setUpStatusMessage(skipFocus) {
    var status = document.querySelector("[data-status-message]");
    if (!status) {
      return;
    }
    // A live region announces changes, not what it held at load: empty it, then refill it.
    var message = status.innerHTML;
    status.innerHTML = "";
    window.setTimeout(function () {
      status.innerHTML = message;
    }, 150);
    var target = status.getAttribute("data-focus-target");
    if (target && !skipFocus) {
      focusElement(document.getElementById(target));
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpMenu();
    setUpStatusMessage(setUpErrorSummary());
  });
})();
