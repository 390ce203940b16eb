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
      var item = {
        slug: hit.dataset.slug,
        name: hit.dataset.name,
        service: hit.dataset.service,
        place: hit.dataset.place,
      };
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
            body.suggestions.forEach(function (suggestion) {
              var option = document.createElement("option");
              option.value = suggestion.name;
              list.appendChild(option);
            });
          })
          .catch(function () { list.replaceChildren(); });
      }, 150);
    });
  }

  function renderShortlistPage() {
    var target = document.querySelector("[data-shortlist]");
    if (!target) {
      return;
    }
    var empty = document.querySelector("[data-shortlist-empty]");
    var actions = document.querySelector("[data-shortlist-actions]");
    var items = read();
    target.replaceChildren();
    items.forEach(function (item, index) {
      var entry = document.createElement("li");
      var title = document.createElement("strong");
      title.textContent = item.name;
      entry.appendChild(title);
      [item.service, item.place].forEach(function (text) {
        if (text) {
          var line = document.createElement("span");
          line.className = "shortlist-line";
          line.textContent = text;
          entry.appendChild(line);
        }
      });
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "shortlist-remove";
      remove.textContent = target.dataset.removeLabel;
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
