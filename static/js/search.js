// Search page: the « Filtrer » button (phones), name suggestions, and the short list kept in
// this browser tab only. sessionStorage (not localStorage): the list disappears when the tab
// closes, so a shared computer does not keep a trace of which resources were looked at.
(function () {
  "use strict";
  var KEY = "filet.shortlist";

  function read() {
    try {
      return JSON.parse(window.sessionStorage.getItem(KEY) || "[]");
    } catch (error) {
      return [];
    }
  }

  function write(items) {
    window.sessionStorage.setItem(KEY, JSON.stringify(items));
  }

  function keyOf(item) {
    return item.slug + "|" + item.service;
  }

  function refreshCount() {
    var counter = document.querySelector("[data-shortlist-count]");
    if (counter) {
      var count = read().length;
      counter.textContent = count ? "(" + count + ")" : "";
    }
  }

  // A polite status message (role="status"): emptied, then filled, so that it is announced
  // even when the same words come twice.
  function announce(text) {
    var status = document.querySelector("[data-shortlist-status]");
    if (!status) {
      return;
    }
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 100);
  }

  // A button already used stays focusable (aria-disabled rather than disabled): the keyboard
  // does not lose its place in the results.
  function markAdded(button, label) {
    button.setAttribute("aria-disabled", "true");
    button.textContent = label;
  }

  function setupShortlistButtons() {
    var saved = read().map(keyOf);
    var status = document.querySelector("[data-shortlist-status]");
    var message = status ? status.getAttribute("data-added-message") || "" : "";
    document.querySelectorAll(".search-hit").forEach(function (hit) {
      var button = hit.querySelector("[data-shortlist-add]");
      if (!button) {
        return;
      }
      var item;
      try {
        // Everything the printed handout shows: name, what it offers, how to reach it,
        // how to refer, the verification date (public data only, from the result card).
        item = JSON.parse(hit.dataset.item);
      } catch (error) {
        item = {slug: hit.dataset.slug, name: hit.dataset.name, service: hit.dataset.service,
                place: hit.dataset.place};
      }
      var added = button.dataset.added || "✓";
      if (saved.indexOf(keyOf(item)) !== -1) {
        markAdded(button, added);
      }
      button.hidden = false;
      button.addEventListener("click", function () {
        if (button.getAttribute("aria-disabled") === "true") {
          return;
        }
        var items = read();
        if (items.map(keyOf).indexOf(keyOf(item)) === -1) {
          items.push(item);
          write(items);
        }
        markAdded(button, added);
        refreshCount();
        announce(message.replace("{name}", item.name).replace("{count}", String(read().length)));
      });
    });
  }

  // Under 48em the filters are behind the « Filtrer » button (aria-expanded, aria-controls).
  // The panel follows the results in the page (so the first result is three Tabs from the
  // search box); opened on a phone, it is moved right after the button, where it is drawn, so
  // that reading and keyboard order stay the drawn order. On a screen it goes back to the
  // right-hand column. Without JavaScript the button is not shown and the panel always is.
  function setupFilterPanel() {
    var toggle = document.querySelector("[data-filter-toggle]");
    var panel = document.querySelector("[data-filter-panel]");
    if (!toggle || !panel) {
      return;
    }
    var layout = panel.parentNode;
    var narrow = window.matchMedia("(max-width: 48em)");
    function place() {
      if (narrow.matches && toggle.nextElementSibling !== panel) {
        toggle.after(panel);
      } else if (!narrow.matches && panel.parentNode !== layout) {
        layout.appendChild(panel);
      }
    }
    var setOpen = window.filet.disclosure(toggle, toggle, function (open) {
      panel.classList.toggle("is-open", open);
    });
    place();
    if (narrow.addEventListener) {
      narrow.addEventListener("change", place);
    }
    // Opened at once when a place must be corrected, or when the link asked for the filters.
    setOpen(panel.hasAttribute("data-open") || window.location.hash === "#search-filters");
  }

  function setupSuggestions() {
    var input = document.querySelector("[data-suggest]");
    var list = document.getElementById("suggestions");
    if (!input || !list) {
      return;
    }
    var timer = null;
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      var text = input.value.trim();
      if (text.length < 2) {
        return;
      }
      timer = window.setTimeout(function () {
        fetch(input.dataset.suggest + "?q=" + encodeURIComponent(text), {credentials: "same-origin"})
          .then(function (response) { return response.ok ? response.json() : {suggestions: []}; })
          .then(function (body) {
            list.replaceChildren();
            var counts = {};
            body.suggestions.forEach(function (suggestion) {
              counts[suggestion.name] = (counts[suggestion.name] || 0) + 1;
            });
            body.suggestions.forEach(function (suggestion) {
              // The label names the parent and the region (« CAVAC — Capitale-Nationale »).
              // Homonyms are filled in with it (the region's name is indexed too, so the
              // search finds that listing); other names are filled in as they are.
              var option = document.createElement("option");
              var label = suggestion.label || suggestion.name;
              option.value = counts[suggestion.name] > 1 ? label : suggestion.name;
              option.label = label;
              list.appendChild(option);
            });
          })
          .catch(function () { list.replaceChildren(); });
      }, 150);
    });
  }

  function line(parent, className, text) {
    var element = document.createElement("span");
    element.className = "shortlist-line " + className;
    element.textContent = text;
    parent.appendChild(element);
    return element;
  }

  function phoneLine(parent, phone, labels) {
    var element = line(parent, "shortlist-phone", "");
    var kinds = labels.phone_kinds || {};
    element.appendChild(document.createTextNode(
      (phone.description || kinds[phone.kind] || phone.kind || "") + " : "));
    var link = document.createElement("a");
    link.href = "tel:" + phone.number;
    link.textContent = phone.number;
    element.appendChild(link);
    var rest = "";
    if (phone.extension) {
      rest += " " + labels.extension + " " + phone.extension;
    }
    if (phone.hours) {
      rest += " (" + phone.hours + ")";
    }
    element.appendChild(document.createTextNode(rest));
  }

  function contactLines(entry, item, labels) {
    var contacts = item.contacts || {};
    var phones = contacts.phones || [];
    if (!phones.length && !contacts.email && !contacts.website) {
      line(entry, "shortlist-contact", labels.no_contact);
      return;
    }
    line(entry, "shortlist-heading", labels.reach);
    phones.forEach(function (phone) { phoneLine(entry, phone, labels); });
    if (contacts.email) {
      line(entry, "shortlist-contact", labels.email + " : " + contacts.email);
    }
    if (contacts.website) {
      line(entry, "shortlist-contact", labels.website + " : " + contacts.website);
    }
  }

  function renderItem(item, labels) {
    var entry = document.createElement("li");
    entry.className = "card shortlist-item";
    var title = document.createElement("h2");
    title.textContent = item.name;
    entry.appendChild(title);
    if (item.parent) {
      line(entry, "shortlist-parent", labels.parent + " " + item.parent);
    }
    [item.service, item.place].forEach(function (text) {
      if (text) {
        line(entry, "", text);
      }
    });
    var offers = [item.sectors, item.offers].filter(Boolean).join(" — ");
    if (offers) {
      line(entry, "shortlist-offers", labels.offers + " " + offers);
    }
    contactLines(entry, item, labels);
    if (item.how_to_refer) {
      line(entry, "shortlist-refer", labels.refer + " " + item.how_to_refer);
    }
    if (item.verified_at !== undefined) {
      line(entry, "shortlist-verified",
           item.verified_at ? labels.verified + " " + item.verified_at : labels.unverified);
    }
    return entry;
  }

  function removeButton(item, index, labels) {
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "button button-small button-secondary shortlist-remove";
    remove.textContent = labels.remove;
    var which = document.createElement("span");
    which.className = "visually-hidden";
    which.textContent = " : " + item.name;  // several « Retirer » buttons: say which one
    remove.appendChild(which);
    remove.addEventListener("click", function () {
      var kept = read();
      kept.splice(index, 1);
      write(kept);
      renderShortlistPage();
      announce((labels.removed || "").replace("%(name)s", item.name));
      // The focus goes to the entry that took its place, else the one before, else the
      // empty list's message.
      var entries = document.querySelectorAll("[data-shortlist] > li");
      focusOn(entries[Math.min(index, entries.length - 1)] ||
              document.querySelector("[data-shortlist-empty]"));
    });
    return remove;
  }

  function focusOn(element) {
    if (element) {
      element.setAttribute("tabindex", "-1");
      element.focus();
    }
  }

  function renderShortlistPage() {
    var target = document.querySelector("[data-shortlist]");
    if (!target) {
      return;
    }
    var labels = {};
    try {
      labels = JSON.parse(target.dataset.labels || "{}");
    } catch (error) {
      labels = {};
    }
    var empty = document.querySelector("[data-shortlist-empty]");
    var actions = document.querySelector("[data-shortlist-actions]");
    var items = read();
    target.replaceChildren();
    items.forEach(function (item, index) {
      var entry = renderItem(item, labels);
      entry.appendChild(removeButton(item, index, labels));
      target.appendChild(entry);
    });
    target.hidden = items.length === 0;
    empty.hidden = items.length > 0;
    actions.hidden = items.length === 0;
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupFilterPanel();
    setupShortlistButtons();
    setupSuggestions();
    refreshCount();
    renderShortlistPage();
    var print = document.querySelector("[data-shortlist-print]");
    if (print) {
      print.addEventListener("click", function () { window.print(); });
    }
    var clear = document.querySelector("[data-shortlist-clear]");
    if (clear) {
      clear.addEventListener("click", function () {
        var labels = JSON.parse(document.querySelector("[data-shortlist]").dataset.labels || "{}");
        write([]);
        renderShortlistPage();
        announce(labels.cleared || "");
        focusOn(document.querySelector("[data-shortlist-empty]"));
      });
    }
  });
})();
