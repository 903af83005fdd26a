/*
 * Questionnaire pages: live word counts, and the safety net around htmx autosave.
 *
 * The saving itself is declared in the HTML (hx-post on each field, see
 * templates/questionnaires/_parts.html); this file only:
 *  - updates word counts as people type (same rule as the server: window.seslipCountWords),
 *    telling screen readers after a pause rather than on every key;
 *  - keeps every unsaved answer in localStorage until the server confirms it, so a lost
 *    session or connection never loses text; restores and saves it when the page loads again
 *    or the tab regains focus after signing in;
 *  - shows messages for answers the server could not take (session ended, forbidden, offline);
 *  - moves focus sensibly after a conflict is resolved;
 *  - after an autosave shows or hides questions in place (out-of-band swaps of their slots,
 *    announced in the question's status region), sets up the new word counts, and keeps focus
 *    in the form if it was in a part that was hidden.
 * Nothing here is needed to fill in a questionnaire: without JavaScript the "Save and continue"
 * button posts the whole section.
 */
(function () {
  "use strict";

  var ANNOUNCE_DELAY = 1000;  // ms of quiet before screen readers hear the new count
  var form = null;
  var responseId = "";
  var sessionEnded = false;
  var sentSnapshots = {};  // question id -> JSON of the values sent in the request in flight
  // Which question each request is for: the element that sent it may be gone after the swap.
  var requestQuestion = new WeakMap();

  // --- word counts ---------------------------------------------------------------------------

  function plural(n, word) { return n + " " + (n === 1 ? word : word + "s"); }

  function countMessage(words, limit) {
    var left = limit - words;
    if (left >= 0) { return "You have " + plural(left, "word") + " remaining"; }
    return "You have " + plural(-left, "word") + " too many";
  }

  function setUpWordCount(region) {
    var field = document.getElementById(region.getAttribute("data-word-count-for"));
    if (!field || region.hasAttribute("data-enhanced")) { return; }
    region.setAttribute("data-enhanced", "");
    var limit = parseInt(region.getAttribute("data-max-words"), 10);
    // A visible twin updates on every key; the original (the live region the field is
    // described by) becomes visually hidden and is updated after a pause.
    var visible = document.createElement("div");
    visible.className = region.className;
    visible.setAttribute("aria-hidden", "true");
    visible.textContent = region.textContent;
    region.parentNode.insertBefore(visible, region);
    region.classList.add("visually-hidden");
    var timer = null;
    function update() {
      var words = window.seslipCountWords(field.value);
      var message = countMessage(words, limit);
      visible.textContent = message;
      visible.classList.toggle("is-over", words > limit);
      clearTimeout(timer);
      timer = setTimeout(function () {
        region.textContent = message;
        region.classList.toggle("is-over", words > limit);
      }, ANNOUNCE_DELAY);
    }
    field.addEventListener("input", update);
    update();
  }

  function setUpWordCounts(root) {
    var regions = root.querySelectorAll("[data-word-count-for]");
    for (var i = 0; i < regions.length; i++) { setUpWordCount(regions[i]); }
  }

  // --- what a question holds, and keeping it in localStorage ---------------------------------

  function questionBox(questionId) { return document.getElementById("q-" + questionId); }

  function revisionOf(questionId) {
    var input = document.getElementById("rev-" + questionId);
    return input ? input.value : "0";
  }

  function fieldsOf(questionId) {
    var box = questionBox(questionId);
    return box ? box.querySelectorAll("[data-autosave]") : [];
  }

  function snapshot(questionId) {
    var values = [];
    var fields = fieldsOf(questionId);
    for (var i = 0; i < fields.length; i++) {
      var f = fields[i];
      if ((f.type === "radio" || f.type === "checkbox")) {
        values.push([f.id, f.checked]);
      } else {
        values.push([f.id, f.value]);
      }
    }
    return values;
  }

  function restore(questionId, values) {
    for (var i = 0; i < values.length; i++) {
      var f = document.getElementById(values[i][0]);
      if (!f) { continue; }
      if (f.type === "radio" || f.type === "checkbox") { f.checked = values[i][1]; }
      else { f.value = values[i][1]; f.dispatchEvent(new Event("input")); }
    }
  }

  function keyPrefix(questionId) { return "seslip:answer:" + responseId + ":" + questionId + ":"; }

  function storedKeys(questionId) {
    var keys = [];
    try {
      for (var i = 0; i < window.localStorage.length; i++) {
        var key = window.localStorage.key(i);
        if (key && key.indexOf(keyPrefix(questionId)) === 0) { keys.push(key); }
      }
    } catch (e) { /* storage switched off: nothing to find */ }
    return keys;
  }

  function forget(questionId) {
    var keys = storedKeys(questionId);
    try { for (var i = 0; i < keys.length; i++) { window.localStorage.removeItem(keys[i]); } }
    catch (e) { /* nothing stored */ }
  }

  function keep(questionId) {
    // Keyed by the revision the person was changing, so a later save can detect conflicts.
    forget(questionId);
    try {
      window.localStorage.setItem(keyPrefix(questionId) + revisionOf(questionId),
        JSON.stringify({ values: snapshot(questionId), at: Date.now() }));
    } catch (e) { /* storage full or off: the text is still on the page */ }
  }

  function questionOf(element) {
    var box = element && element.closest ? element.closest("[data-question]") : null;
    return box ? box.getAttribute("data-question") : null;
  }

  function status(questionId) { return document.getElementById("status-" + questionId); }

  // --- messages --------------------------------------------------------------------------------

  function showSessionEnded(questionId) {
    var region = status(questionId);
    // Already shown: leave it, so a click on its link is never lost to a re-render.
    if (!region || region.querySelector(".session-expired")) { return; }
    region.textContent = "";
    var box = document.createElement("span");
    box.className = "session-expired";
    box.appendChild(document.createTextNode(
      "Not saved yet: your session has ended. What you typed is kept on this page and in this " +
      "browser. "));
    var link = document.createElement("a");
    link.href = form.getAttribute("data-login-url");
    link.target = "_blank";
    link.rel = "noopener";
    link.textContent = "Sign in again (opens in a new tab)";
    box.appendChild(link);
    box.appendChild(document.createTextNode(", then come back to this tab: it will be saved."));
    region.appendChild(box);
  }

  function showProblem(questionId, text) {
    var region = status(questionId);
    if (!region) { return; }
    region.textContent = "";
    var span = document.createElement("span");
    span.className = "error-message";
    span.textContent = text;
    region.appendChild(span);
  }

  function textOf(html) {
    var doc = new DOMParser().parseFromString(html || "", "text/html");
    return (doc.body.textContent || "").replace(/\s+/g, " ").trim();
  }

  // --- saving again after the session or connection comes back --------------------------------

  function saveNow(questionId) {
    var fields = fieldsOf(questionId);
    if (fields.length) { window.htmx.trigger(fields[0], "change"); }
  }

  function restoreStored() {
    var boxes = form.querySelectorAll("[data-question]");
    for (var i = 0; i < boxes.length; i++) {
      var questionId = boxes[i].getAttribute("data-question");
      var keys = storedKeys(questionId);
      if (!keys.length) { continue; }
      var stored;
      try { stored = JSON.parse(window.localStorage.getItem(keys[0])); } catch (e) { stored = null; }
      if (!stored || !stored.values) { forget(questionId); continue; }
      restore(questionId, stored.values);
      // Save against the revision the text was written on: if someone saved since, the
      // server reports a conflict and the person chooses.
      document.getElementById("rev-" + questionId).value = keys[0].slice(keyPrefix(questionId).length);
      var region = status(questionId);
      if (region) { region.textContent = "Saving what you typed earlier…"; }
      saveNow(questionId);
    }
  }

  function comeBack() {
    if (!sessionEnded || document.visibilityState === "hidden") { return; }
    // Signed in again (in another tab)? The page then loads without a redirect: reload it, so it
    // has a fresh security token, and restoreStored() saves what was typed.
    fetch(window.location.href, { method: "HEAD", credentials: "same-origin", redirect: "manual" })
      .then(function (response) {
        if (response.status === 200) { window.location.reload(); }
      })
      .catch(function () { /* still offline: try again next time */ });
  }

  // --- htmx events -------------------------------------------------------------------------------

  function onInput(event) {
    var questionId = questionOf(event.target);
    if (questionId && event.target.hasAttribute("data-autosave")) { keep(questionId); }
  }

  function onBeforeRequest(event) {
    var questionId = questionOf(event.detail.elt);
    if (!questionId) { return; }
    if (sessionEnded) {
      // Don't send: it would fail the same way. The text is already in storage.
      event.preventDefault();
      showSessionEnded(questionId);
      return;
    }
    keep(questionId);
    var conflict = document.getElementById("conflict-" + questionId);
    if (conflict && conflict.querySelector(".conflict") &&
        event.detail.elt.hasAttribute("data-autosave")) {
      // While both versions are shown, only the person's choice saves: typing (or leaving the
      // field to press a button) must not send another save that would replace the buttons.
      event.preventDefault();
      return;
    }
    lastSender = event.detail.elt;
    sentSnapshots[questionId] = JSON.stringify(snapshot(questionId));
    if (event.detail.xhr) { requestQuestion.set(event.detail.xhr, questionId); }
  }

  function onAfterRequest(event) {
    var xhr = event.detail.xhr;
    var questionId = (xhr && requestQuestion.get(xhr)) || questionOf(event.detail.elt);
    var verb = event.detail.requestConfig ? event.detail.requestConfig.verb : "post";
    if (!questionId || !xhr || verb === "get") { return; }
    if (xhr.status === 200) {
      if (JSON.stringify(snapshot(questionId)) === sentSnapshots[questionId]) { forget(questionId); }
      else { keep(questionId); }  // typed more while saving: keep it, under the new revision
    } else if (xhr.status === 401 ||
               (xhr.status === 400 && !xhr.getResponseHeader("X-Questionnaire-Error"))) {
      // 401: signed out. A 400 not from us is the CSRF check: the session behind the page's
      // security token has gone (expired, or signed out elsewhere). Either way: sign in again.
      sessionEnded = true;
      showSessionEnded(questionId);
    } else if (xhr.status === 0) {
      showProblem(questionId, "Not saved: the connection failed. What you typed is kept in " +
        "this browser and will be saved when you come back to this page.");
    } else if (xhr.status >= 400 && xhr.status !== 409 && xhr.status !== 422) {
      showProblem(questionId, textOf(xhr.responseText) ||
        "Not saved: something went wrong. What you typed is kept in this browser.");
    }
  }

  function focusField(questionId) {
    var fields = fieldsOf(questionId);
    if (fields.length) { fields[0].focus(); }
  }

  function onAfterSwap(event) {
    var target = event.detail.target;
    var elt = event.detail.requestConfig ? event.detail.requestConfig.elt : event.detail.elt;
    if (target && target.id && target.id.indexOf("status-") === 0 && elt &&
        elt.name === "keep_mine" && event.detail.xhr && event.detail.xhr.status === 200) {
      // "Keep my version" saved: the buttons are gone, so put focus back in the answer.
      // (Handled here because the button, now detached, no longer receives events.)
      var kept = target.id.slice("status-".length);
      if (JSON.stringify(snapshot(kept)) === sentSnapshots[kept]) { forget(kept); }
      focusField(kept);
      return;
    }
    if (target && target.id && target.id.indexOf("q-") === 0) {
      // "Use their version" replaced the whole question.
      var questionId = target.getAttribute("data-question");
      forget(questionId);
      setUpWordCounts(target);
      var region = status(questionId);
      if (region) { region.textContent = "Their version is shown. Your version was not saved."; }
      focusField(questionId);
    }
  }

  // --- questions shown or hidden in place ------------------------------------------------------

  var lastSender = null;  // the field whose autosave is being answered
  var focusWasIn = "";    // id of a slot being emptied while focus was inside it

  function isSlot(element) {
    return element && element.classList && element.classList.contains("item-slot");
  }

  function onOobBeforeSwap(event) {
    var target = event.detail.target;
    if (isSlot(target) && target.contains(document.activeElement)) { focusWasIn = target.id; }
  }

  function onOobAfterSwap(event) {
    var old = event.detail.target;
    if (!isSlot(old)) { return; }
    var slot = document.getElementById(old.id);
    if (slot) { setUpWordCounts(slot); }
    if (focusWasIn === old.id) {
      focusWasIn = "";
      if (slot && slot.contains(document.activeElement)) { return; }
      if (lastSender && document.body.contains(lastSender)) { lastSender.focus(); }
    }
  }

  function start() {
    form = document.querySelector("form[data-questionnaire]");
    if (!form || !window.htmx) { return; }
    responseId = form.getAttribute("data-response-id");
    var hint = document.querySelector("[data-autosave-hint]");
    if (hint) { hint.hidden = false; }
    setUpWordCounts(document);
    form.addEventListener("input", onInput);
    form.addEventListener("change", onInput);
    document.body.addEventListener("htmx:beforeRequest", onBeforeRequest);
    document.body.addEventListener("htmx:afterRequest", onAfterRequest);
    document.body.addEventListener("htmx:afterSwap", onAfterSwap);
    document.body.addEventListener("htmx:oobBeforeSwap", onOobBeforeSwap);
    document.body.addEventListener("htmx:oobAfterSwap", onOobAfterSwap);
    window.addEventListener("focus", comeBack);
    document.addEventListener("visibilitychange", comeBack);
    restoreStored();
    form.setAttribute("data-autosave-ready", "");  // for tests: autosave is listening now
  }

  // After htmx's own DOMContentLoaded handler (htmx.min.js is loaded first), so triggers work.
  document.addEventListener("DOMContentLoaded", function () { setTimeout(start, 0); });
})();
