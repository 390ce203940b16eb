// Search page: name suggestions, and the short list kept in this browser tab only.
// sessionStorage (not localStorage): the list disappears when the tab closes, so a shared
// computer does not keep a trace of which resources were looked at.
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

  function setupShortlistButtons() {
    var saved = read().map(keyOf);
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
        button.disabled = true;
        button.textContent = added;
      }
      button.hidden = false;
      button.addEventListener("click", function () {
        var items = read();
        if (items.map(keyOf).indexOf(keyOf(item)) === -1) {
          items.push(item);
          write(items);
        }
        button.disabled = true;
        button.textContent = added;
        refreshCount();
      });
    });
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
    var title = document.createElement("strong");
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
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "shortlist-remove";
      remove.textContent = labels.remove;
      remove.addEventListener("click", function () {
        var kept = read();
        kept.splice(index, 1);
        write(kept);
        renderShortlistPage();
      });
      entry.appendChild(remove);
      target.appendChild(entry);
    });
    empty.hidden = items.length > 0;
    actions.hidden = items.length === 0;
  }

  document.addEventListener("DOMContentLoaded", function () {
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
        write([]);
        renderShortlistPage();
      });
    }
  });
})();
