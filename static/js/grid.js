// Parchemin — the commission's grid on a tablet. No inline scripts (Content Security Policy).
//
// Every tap or keystroke is saved at once through the JSON API, with If-Match carrying the
// version the member last saw. Unsent changes live in localStorage first, so nothing typed
// is lost when the network drops: the queue is flushed when the browser is back online, on
// "Réessayer", and on the next visit. A 412 shows the other member's value and who saved it.
//
// A queue sent when the tablet comes back goes a few requests at a time (MAX_INFLIGHT), and a
// transient failure (network error while online, 5xx, 429) is retried by itself with
// exponential backoff until the change is saved or a real refusal (400, 401/403, 412) is
// shown. Each queued change keeps the version it was made on: a change the server applied
// but whose answer was lost is sent again on that version, and the server answers it as
// saved (same value, same member), never as a conflict with itself.
(function () {
  "use strict";

  // <button data-confirm-button="Message"> asks before submitting its form (avis page).
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-confirm-button]");
    if (button && !window.confirm(button.getAttribute("data-confirm-button"))) {
      event.preventDefault();
    }
  });

  var app = document.getElementById("grid-app");
  if (!app) { return; }
  var i18nNode = document.getElementById("grid-i18n");
  var T = i18nNode ? JSON.parse(i18nNode.textContent) : {};
  var editable = app.getAttribute("data-editable") === "true";
  var csrfInput = app.querySelector("input[name=csrfmiddlewaretoken]");
  var csrf = csrfInput ? csrfInput.value : "";
  var storeKey = "parchemin.grid." + app.getAttribute("data-grid");
  var globalBox = app.querySelector("[data-global-state]");
  var globalText = document.getElementById("save-state");
  var retryAll = document.getElementById("retry-all");
  var proposalBox = document.getElementById("proposal");
  var TEXT_DELAY = 700;
  var MAX_INFLIGHT = 3;
  var RETRY_BASE = 500, RETRY_MAX = 30000, QUIET_ATTEMPTS = 3;

  // queue: { "<row key>": { payload: {...}, version: "3" } } — row key "s<id>" or "proposal"
  var queue = load();
  var inflight = {};
  var again = {};
  var timers = {};
  var waiting = [];  // keys ready to send, waiting for a free slot (each key once)
  var attempts = {};  // transient failures in a row, per key
  var retryTimers = {};
  var saved = {};  // last value the server holds for each row (JSON), to skip idle re-sends
  var leaveTo = null;  // a link tapped while changes were still being sent

  function load() {
    try { return JSON.parse(window.localStorage.getItem(storeKey) || "{}") || {}; }
    catch (e) { return {}; }
  }
  function persist() {
    try {
      if (Object.keys(queue).length) { window.localStorage.setItem(storeKey, JSON.stringify(queue)); }
      else { window.localStorage.removeItem(storeKey); }
    } catch (e) { /* storage full or disabled: the in-memory queue still retries */ }
  }
  function fmt(text, values) {
    return String(text || "").replace(/%\((\w+)\)s/g, function (_m, k) { return values[k]; });
  }

  // "14h05" in French, "14:05" in English (T.clock), Paris time whatever the tablet's zone.
  function clock(iso) {
    var h = "", m = "";
    new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: "Europe/Paris" })
      .formatToParts(new Date(iso)).forEach(function (p) {
        if (p.type === "hour") { h = p.value; } else if (p.type === "minute") { m = p.value; }
      });
    return fmt(T.clock, { h: h, m: m });
  }

  // The proposal needs a justification for "non acquise", a criterion for "non applicable".
  function needsText(row) { return row === proposalBox ? T.needsProposalJustification : T.needsJustification; }

  function rows() { return Array.prototype.slice.call(app.querySelectorAll("fieldset[data-row-state]")); }
  function keyOf(row) { return row === proposalBox ? "proposal" : "s" + row.getAttribute("data-score"); }
  function rowOf(key) {
    return key === "proposal" ? proposalBox : app.querySelector('fieldset[data-score="' + key.slice(1) + '"]');
  }
  function field(row, name) { return row.querySelector('[data-field="' + name + '"]'); }
  function valueAttr(row) { return row === proposalBox ? "data-proposal" : "data-state"; }

  function payloadOf(row) {
    var value = row.getAttribute(valueAttr(row)) || "";
    var justification = field(row, "justification");
    if (row === proposalBox) {
      return { proposal: value, justification: justification ? justification.value : "" };
    }
    return {
      state: value,
      comment: field(row, "comment").value,
      justification: justification ? justification.value : ""
    };
  }

  function blocked(row, payload) {
    if (row === proposalBox) { return payload.proposal === "non_acquise" && !payload.justification.trim(); }
    return payload.state === "not_applicable" && row.getAttribute("data-conditional") !== "1" &&
      !payload.justification.trim();
  }

  function showValue(row, value) {
    row.setAttribute(valueAttr(row), value);
    row.querySelectorAll(".toggle").forEach(function (b) {
      b.setAttribute("aria-pressed", b.getAttribute("data-value") === value ? "true" : "false");
    });
    if (row !== proposalBox) {
      var box = row.querySelector(".justification");
      var needs = value === "not_applicable" && row.getAttribute("data-conditional") !== "1";
      if (box) { box.hidden = !(needs || field(row, "justification").value.trim()); }
    }
  }

  function setRow(row, state, text) {
    row.setAttribute("data-row-state", state);
    var label = row.querySelector(".row-state-text");
    if (label) { label.textContent = text || ""; }
    var retry = row.querySelector(".row-retry");
    if (retry) { retry.hidden = state !== "failed"; }
    updateGlobal();
  }

  function savedText(data, name) {
    var who = data[name] || "";
    var when = data.updated_at || data.proposal_at;
    var time = when ? clock(when) : "";
    return T.saved + (who ? " — " + who + (time ? ", " + time : "") : "");
  }

  function updateGlobal() {
    if (!editable || !globalBox) { return; }
    var states = rows().map(function (r) { return r.getAttribute("data-row-state"); });
    var pending = Object.keys(queue).length;
    var state = "saved", text = T.allSaved;
    if (states.indexOf("conflict") !== -1) {
      state = "failed"; text = T.globalConflict;
    } else if (states.indexOf("failed") !== -1 || states.indexOf("error") !== -1) {
      state = "failed"; text = T.globalFailed;
    } else if (!navigator.onLine && pending) {
      state = "offline"; text = fmt(T.globalOffline, { n: pending });
    } else if (states.indexOf("saving") !== -1 || (pending && Object.keys(inflight).length)) {
      state = "saving"; text = T.globalSaving;
    } else if (states.indexOf("needs") !== -1) {
      state = "needs";
      text = needsText(rows().filter(function (r) { return r.getAttribute("data-row-state") === "needs"; })[0]);
    } else if (pending) {
      state = "offline"; text = fmt(T.globalOffline, { n: pending });
    }
    globalBox.setAttribute("data-global-state", state);
    globalText.textContent = text;
    retryAll.hidden = !(state === "failed" ||
      (pending && navigator.onLine && state !== "saving" && state !== "needs"));
  }

  // Record the row's current value in the queue (persisted at once), then send it.
  function enqueue(row, immediate) {
    var key = keyOf(row);
    var payload = payloadOf(row);
    if (!queue[key] && !inflight[key] && saved[key] === JSON.stringify(payload)) { return; }
    queue[key] = { payload: payload, version: row.getAttribute("data-version") };
    persist();
    clearTimeout(timers[key]);
    if (blocked(row, payload)) { setRow(row, "needs", needsText(row)); return; }
    if (immediate) { send(key); }
    else {
      setRow(row, "saving", T.saving);
      timers[key] = setTimeout(function () { send(key); }, TEXT_DELAY);
    }
  }

  function urlOf(key, row) {
    return key === "proposal" ? app.getAttribute("data-proposal-url") : row.getAttribute("data-url");
  }

  function send(key) {
    var row = rowOf(key);
    var item = queue[key];
    if (!row || !item) { return; }
    if (inflight[key]) { again[key] = true; return; }
    if (blocked(row, item.payload)) { setRow(row, "needs", needsText(row)); return; }
    if (!navigator.onLine) { setRow(row, "offline", T.offline); return; }
    clearTimeout(retryTimers[key]); delete retryTimers[key];
    if (Object.keys(inflight).length >= MAX_INFLIGHT) {
      if (waiting.indexOf(key) === -1) { waiting.push(key); }
      setRow(row, "saving", T.saving);
      return;
    }
    var at = waiting.indexOf(key);
    if (at !== -1) { waiting.splice(at, 1); }
    inflight[key] = true;
    setRow(row, "saving", T.saving);
    fetch(urlOf(key, row), {
      method: key === "proposal" ? "PUT" : "PATCH",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "If-Match": '"' + item.version + '"',
        "X-CSRFToken": csrf
      },
      body: JSON.stringify(item.payload)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        delete inflight[key];
        handle(key, row, item, response.status, data, response.headers.get("Retry-After"));
        pump();
      });
    }, function () {
      delete inflight[key];
      if (navigator.onLine) { retryLater(key, row, null); }
      else { setRow(row, "offline", T.offline); }
      pump();
    });
  }

  // A slot is free: send the next waiting change.
  function pump() {
    while (waiting.length && Object.keys(inflight).length < MAX_INFLIGHT) {
      var key = waiting.shift();
      if (queue[key] && !inflight[key]) { send(key); }
    }
  }

  // A transient failure: send again after 0.5 s, 1 s, 2 s… (at most 30 s, or what a 429's
  // Retry-After asks), with a little jitter so that tablets do not come back together. The
  // first attempts stay "saving"; then the row says it failed, and still retries by itself.
  function retryLater(key, row, retryAfter) {
    var n = attempts[key] = (attempts[key] || 0) + 1;
    var delay = Math.min(RETRY_MAX, RETRY_BASE * Math.pow(2, n - 1)) * (0.8 + Math.random() * 0.4);
    var asked = parseInt(retryAfter, 10);
    if (asked > 0) { delay = Math.max(delay, Math.min(asked * 1000, RETRY_MAX)); }
    if (n > QUIET_ATTEMPTS) { setRow(row, "failed", T.failed); }
    else { setRow(row, "saving", T.saving); }
    clearTimeout(retryTimers[key]);
    retryTimers[key] = setTimeout(function () { delete retryTimers[key]; send(key); }, delay);
  }

  function handle(key, row, item, status, data, retryAfter) {
    if (status >= 500 || status === 429 || status === 408) {
      delete again[key];
      if (queue[key]) { retryLater(key, row, retryAfter); }
      return;
    }
    delete attempts[key];
    if (status >= 200 && status < 300) {
      row.setAttribute("data-version", data.version);
      saved[key] = JSON.stringify(item.payload);
      if (queue[key] === item) { delete queue[key]; }
      else if (queue[key]) { queue[key].version = String(data.version); again[key] = true; }
      persist();
      setRow(row, "saved", savedText(data, key === "proposal" ? "proposal_by_name" : "updated_by_name"));
    } else if (status === 412) {
      conflict(key, row, item, data.current || null);
    } else if (status === 401 || status === 403) {
      setRow(row, "failed", (data && data.detail) || T.sessionExpired);
    } else if (status === 400) {
      setRow(row, "error", data.detail || T.failed);
    } else {
      setRow(row, "failed", T.failed);
    }
    if (again[key]) { delete again[key]; send(key); }
    if (leaveTo && !Object.keys(queue).length && !Object.keys(inflight).length) {
      window.location.href = leaveTo;
    }
  }

  function describe(values) {
    var value = values.state !== undefined ? values.state : values.proposal;
    var text = value ? T.labels[value] : T.empty;
    var extra = [values.comment, values.justification].filter(function (x) { return x; }).join(" — ");
    return text + (extra ? " — « " + extra + " »" : "");
  }

  // Another member saved this row meanwhile: show their value beside ours, let the member choose.
  function conflict(key, row, item, current) {
    var box = row.querySelector(".conflict");
    setRow(row, "conflict", T.conflict);
    if (!current) { box.hidden = true; return; }
    var when = current.updated_at ? clock(current.updated_at) : "";
    box.textContent = "";
    var p1 = document.createElement("p");
    p1.textContent = fmt(T.changedBy, { who: current.updated_by_name || "?", when: when }) + " " + describe(current);
    var p2 = document.createElement("p");
    p2.textContent = T.yourValue + " " + describe(item.payload);
    var keep = document.createElement("button");
    keep.type = "button"; keep.className = "btn btn-tap"; keep.textContent = T.keepTheirs;
    var mine = document.createElement("button");
    mine.type = "button"; mine.className = "btn btn-primary btn-tap"; mine.textContent = T.useMine;
    keep.addEventListener("click", function () {
      delete queue[key]; persist();
      row.setAttribute("data-version", current.version);
      if (field(row, "comment")) { field(row, "comment").value = current.comment || ""; }
      field(row, "justification").value = current.justification || "";
      showValue(row, (row === proposalBox ? current.proposal : current.state) || "");
      saved[key] = JSON.stringify(payloadOf(row));
      box.hidden = true;
      setRow(row, "saved", savedText(current, "updated_by_name"));
    });
    mine.addEventListener("click", function () {
      row.setAttribute("data-version", current.version);
      if (queue[key]) { queue[key].version = String(current.version); persist(); }
      box.hidden = true;
      send(key);
    });
    var actions = document.createElement("div");
    actions.className = "actions";
    actions.appendChild(keep); actions.appendChild(mine);
    box.appendChild(p1); box.appendChild(p2); box.appendChild(actions);
    box.hidden = false;
  }

  function flush() {
    Object.keys(queue).forEach(function (key) {
      var row = rowOf(key);
      if (!row) { delete queue[key]; return; }
      if (row.getAttribute("data-row-state") === "conflict") { return; }
      delete attempts[key];
      send(key);
    });
    persist();
    updateGlobal();
  }

  if (!editable) { return; }

  rows().forEach(function (row) { saved[keyOf(row)] = JSON.stringify(payloadOf(row)); });

  // Restore what was typed but not sent (a previous visit, a dropped network), then send it.
  Object.keys(queue).forEach(function (key) {
    var row = rowOf(key);
    var item = queue[key];
    if (!row) { delete queue[key]; return; }
    row.setAttribute("data-version", item.version);
    if (row === proposalBox) {
      field(row, "justification").value = item.payload.justification || "";
      showValue(row, item.payload.proposal || "");
    } else {
      field(row, "comment").value = item.payload.comment || "";
      field(row, "justification").value = item.payload.justification || "";
      showValue(row, item.payload.state || "");
    }
  });

  app.addEventListener("click", function (event) {
    var toggle = event.target.closest(".toggle");
    if (toggle && !toggle.disabled) {
      var row = toggle.closest("fieldset[data-row-state]");
      var value = toggle.getAttribute("data-value");
      showValue(row, value);
      enqueue(row, true);
      var box = row.querySelector(".justification:not([hidden]) textarea");
      if (box && !box.value.trim() && blocked(row, payloadOf(row))) { box.focus(); }
      return;
    }
    var retry = event.target.closest(".row-retry");
    if (retry) {
      var key = keyOf(retry.closest("fieldset[data-row-state]"));
      delete attempts[key];
      send(key);
    }
  });
  app.addEventListener("input", function (event) {
    var row = event.target.closest("fieldset[data-row-state]");
    if (row && event.target.matches("textarea[data-field]")) { enqueue(row, false); }
  });
  app.addEventListener("change", function (event) {
    var row = event.target.closest("fieldset[data-row-state]");
    if (row && event.target.matches("textarea[data-field]")) { enqueue(row, true); }
  });
  retryAll.addEventListener("click", flush);
  window.addEventListener("online", flush);
  window.addEventListener("offline", function () {
    rows().forEach(function (row) {
      if (queue[keyOf(row)] && row.getAttribute("data-row-state") !== "conflict") { setRow(row, "offline", T.offline); }
    });
    updateGlobal();
  });
  var signLink = document.getElementById("sign-link");
  if (signLink) {
    signLink.addEventListener("click", function (event) {
      if (Object.keys(queue).length || Object.keys(inflight).length) {
        event.preventDefault();
        if (!navigator.onLine) { window.alert(T.unsavedBeforeSign); return; }
        leaveTo = signLink.href;  // go on once everything is saved
        flush();
      }
    });
  }
  flush();
})();
