/* A draft of "Log a hearing", kept in this browser as the monitor types, so that a lost
   connection or a closed tab in a courtroom loses nothing.

   The form names its draft's key (data-draft-key: one per person and case). Every input is
   saved to localStorage except the CSRF token and other hidden, password and file inputs.
   Opening the page again restores the draft and says so, with a button to discard it. A page
   re-shown with errors after a failed save (data-draft-bound) keeps the draft and is not
   overwritten by it. The page after a successful save carries a message whose classes are
   "log-draft-saved <key>": the draft is deleted there. Drafts older than a week are deleted
   on any page that loads this script, and every draft on the page after signing out.

   It also keeps each checklist stage's "n of m answered" count up to date. */
(function () {
  "use strict";

  var PREFIX = "log-hearing-draft-";
  var MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;
  var SKIPPED_TYPES = ["hidden", "password", "file", "submit", "button", "reset", "image"];

  function storage() {
    try {
      return window.localStorage;
    } catch (error) {
      return null; // storage disabled: the page works, without drafts
    }
  }

  function read(store, key) {
    try {
      var draft = JSON.parse(store.getItem(key));
      return draft && typeof draft.savedAt === "number" && draft.values ? draft : null;
    } catch (error) {
      return null;
    }
  }

  function forget(store, key) {
    try {
      store.removeItem(key);
    } catch (error) {
      /* nothing to do */
    }
  }

  function clearSavedDrafts(store) {
    var saved = document.querySelectorAll(".messagelist .log-draft-saved");
    Array.prototype.forEach.call(saved, function (message) {
      Array.prototype.forEach.call(message.classList, function (name) {
        if (name.indexOf(PREFIX) === 0) forget(store, name);
      });
    });
  }

  function draftKeys(store) {
    var keys = [];
    for (var i = 0; i < store.length; i++) {
      var key = store.key(i);
      if (key && key.indexOf(PREFIX) === 0) keys.push(key);
    }
    return keys;
  }

  function expireOldDrafts(store) {
    var now = Date.now();
    draftKeys(store).forEach(function (key) {
      var draft = read(store, key);
      if (!draft || now - draft.savedAt > MAX_AGE_MS) forget(store, key);
    });
  }

  // The page after signing out (templates/registration/logged_out.html) deletes every draft
  // kept in this browser, whoever wrote it, and says so when there was one.
  function forgetAllDrafts(store, notice) {
    var keys = draftKeys(store);
    keys.forEach(function (key) {
      forget(store, key);
    });
    if (keys.length) notice.hidden = false;
  }

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (element) {
      return (
        element.name &&
        element.name !== "csrfmiddlewaretoken" &&
        SKIPPED_TYPES.indexOf(element.type) === -1
      );
    });
  }

  function snapshot(form) {
    var values = {};
    fields(form).forEach(function (element) {
      var list = values[element.name] || (values[element.name] = []);
      if (element.type === "radio" || element.type === "checkbox") {
        if (element.checked) list.push(element.value);
      } else if (element.type === "select-multiple") {
        Array.prototype.forEach.call(element.selectedOptions, function (option) {
          list.push(option.value);
        });
      } else {
        list.push(element.value);
      }
    });
    return { savedAt: Date.now(), values: values };
  }

  function restore(form, draft) {
    var seen = {};
    fields(form).forEach(function (element) {
      var values = draft.values[element.name];
      if (!values) return; // a field the draft does not know keeps what the page gave it
      if (element.type === "radio" || element.type === "checkbox") {
        element.checked = values.indexOf(element.value) !== -1;
      } else if (element.type === "select-multiple") {
        Array.prototype.forEach.call(element.options, function (option) {
          option.selected = values.indexOf(option.value) !== -1;
        });
      } else {
        var index = seen[element.name] || 0;
        if (index < values.length) element.value = values[index];
        seen[element.name] = index + 1;
      }
    });
  }

  function updateCounts(form) {
    var stages = form.querySelectorAll("details.checklist-stage");
    Array.prototype.forEach.call(stages, function (stage) {
      var count = stage.querySelector(".answered-count");
      if (!count) return;
      var answered = stage.querySelectorAll(".checklist-answer input[type=radio]:checked").length;
      count.textContent = count
        .getAttribute("data-template")
        .replace("{answered}", answered)
        .replace("{total}", count.getAttribute("data-total"));
    });
  }

  function showNotice(form, draft, store, key) {
    var notice = form.querySelector(".draft-notice");
    if (!notice) return;
    var text = notice.querySelector(".draft-notice-text");
    var when = new Date(draft.savedAt).toLocaleString(document.documentElement.lang || undefined, {
      dateStyle: "medium",
      timeStyle: "short",
    });
    text.textContent = text.getAttribute("data-template").replace("{time}", when);
    notice.hidden = false;
    notice.querySelector(".draft-discard").addEventListener("click", function () {
      forget(store, key);
      form.reset(); // back to what the page was served with
      notice.hidden = true;
      updateCounts(form);
    });
  }

  function keepDraft(form, store) {
    var key = form.getAttribute("data-draft-key");
    if (!key) return;
    var timer = null;

    function save() {
      window.clearTimeout(timer);
      timer = null;
      try {
        store.setItem(key, JSON.stringify(snapshot(form)));
      } catch (error) {
        /* storage full or refused: the form still works */
      }
    }

    function soon() {
      window.clearTimeout(timer);
      timer = window.setTimeout(save, 300);
    }

    if (form.hasAttribute("data-draft-bound")) {
      // What failed to save is on the screen: it is the draft now.
      save();
    } else {
      var draft = read(store, key);
      if (draft && Date.now() - draft.savedAt <= MAX_AGE_MS) {
        restore(form, draft);
        showNotice(form, draft, store, key);
      }
    }
    form.addEventListener("input", soon);
    form.addEventListener("change", save);
    form.addEventListener("submit", save);
    window.addEventListener("pagehide", function () {
      if (timer !== null) save();
    });
  }

  function start() {
    var store = storage();
    var form = document.querySelector("form[data-draft-key]");
    var signedOut = document.querySelector("[data-forget-drafts]");
    if (store && signedOut) {
      forgetAllDrafts(store, signedOut);
      return;
    }
    if (store) {
      clearSavedDrafts(store);
      expireOldDrafts(store);
      if (form) keepDraft(form, store);
    }
    if (form) {
      form.addEventListener("change", function () {
        updateCounts(form);
      });
      updateCounts(form);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
