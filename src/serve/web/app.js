// covet-logs dashboard: plain JavaScript, no framework, no build step.
//
// Everything that came from a log, a file name, a filter or a query is written with
// textContent (or an attribute set through the DOM), never parsed as HTML: no string
// is ever handed to the HTML parser. The API contract is docs/API.md.
'use strict';

(function () {
  const API = '/api/v1';
  const PAGE = 50;
  // The stream keeps this many entries (the oldest drop out); only those in view
  // are in the DOM.
  const MAX_ENTRIES = 100000;
  // ... and at most this much entry text (their JSON's length, in characters): a
  // stream of huge lines keeps fewer.
  const MAX_CHARS = 64 * 1024 * 1024;
  const TOKEN_KEY = 'covet-logs-token';
  const RECENT_KEY = 'covet-logs-recent';
  const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];

  const state = {
    q: '',
    regex: false,
    caseSensitive: false,
    range: '',
    level: '',
    service: '',
    source: '',
    filters: [],
    paused: false,
    follow: true,
    ids: new Set(),
    expanded: new Map(),
    shift: 0,
    total: 0,
    nextCursor: null,
    streamCursor: null,
    // The id of the last entry the stream sent (the seed's `after`), and whether the
    // server refused it (then the cursor resumes).
    streamId: null,
    idRefused: false,
    selected: null,
    generation: 0,
    searching: false,
    pending: [],
    tokenRequired: true,
  };

  const $ = (id) => document.getElementById(id);

  // ---------------------------------------------------------------------------------
  // DOM helpers: every text goes through textContent.
  // ---------------------------------------------------------------------------------

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function svg(tag, attrs) {
    const e = document.createElementNS('http://www.w3.org/2000/svg', tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    return e;
  }

  // Control characters (terminal escapes), bidi overrides and zero-width characters
  // in log text are shown, not obeyed: C0 controls and DEL as their Unicode control
  // pictures (ESC as ␛), the others as [U+XXXX], each in a marked span.
  const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

  function shownChar(c) {
    const code = c.charCodeAt(0);
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    if (code === 0x7f) return '\u2421';
    return '[U+' + code.toString(16).toUpperCase().padStart(4, '0') + ']';
  }

  function appendVisible(node, text) {
    let last = 0;
    for (const m of text.matchAll(INVISIBLE)) {
      if (m.index > last) node.appendChild(document.createTextNode(text.slice(last, m.index)));
      const ctl = el('span', 'ctl', shownChar(m[0]));
      ctl.title = 'U+' + m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
      node.appendChild(ctl);
      last = m.index + m[0].length;
    }
    if (last < text.length) node.appendChild(document.createTextNode(text.slice(last)));
  }

  // A text element whose log-derived text is shown with its invisibles marked.
  function textEl(tag, cls, text) {
    const e = el(tag, cls);
    appendVisible(e, text === undefined || text === null ? '' : String(text));
    return e;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function fmtNum(n) {
    if (n === null || n === undefined || Number.isNaN(n)) return '–';
    if (n >= 1e9) return (n / 1e9).toFixed(1) + 'B';
    if (n >= 1e6) return (n / 1e6).toFixed(1) + 'M';
    if (n >= 1e4) return (n / 1e3).toFixed(1) + 'K';
    return Number.isInteger(n) ? n.toLocaleString('en-US') : n.toFixed(1);
  }

  function fmtTime(ts) {
    if (!ts) return '—';
    return String(ts).replace('T', ' ').replace(/Z$/, '');
  }

  function flash(node, text) {
    node.textContent = text;
    clearTimeout(node._t);
    node._t = setTimeout(() => { node.textContent = ''; }, 4000);
  }

  // ---------------------------------------------------------------------------------
  // API access with the token (asked once on a 401, kept in sessionStorage).
  // ---------------------------------------------------------------------------------

  let tokenPrompt = null;
  let tokenAsks = 0;

  function token() {
    return sessionStorage.getItem(TOKEN_KEY);
  }

  function authHeaders() {
    const t = token();
    return t ? { Authorization: 'Bearer ' + t } : {};
  }

  function askToken() {
    if (tokenPrompt) return tokenPrompt;
    tokenPrompt = new Promise((resolve) => {
      const dlg = $('token-dlg');
      const input = $('token-input');
      input.value = '';
      dlg.addEventListener('close', function done() {
        dlg.removeEventListener('close', done);
        if (input.value) sessionStorage.setItem(TOKEN_KEY, input.value);
        tokenPrompt = null;
        resolve();
      });
      tokenAsks += 1;
      document.body.dataset.tokenAsked = String(tokenAsks);
      dlg.showModal();
      input.focus();
    });
    return tokenPrompt;
  }

  class ApiError extends Error {
    constructor(status, body) {
      super((body && (body.detail || body.error)) || 'HTTP ' + status);
      this.status = status;
      this.body = body || {};
    }
  }

  async function api(path, options) {
    const opts = options || {};
    for (let attempt = 0; attempt < 3; attempt++) {
      const headers = Object.assign({ Accept: 'application/json' }, authHeaders(), opts.headers || {});
      const res = await fetch(path, Object.assign({}, opts, { headers }));
      if (res.status === 401) {
        sessionStorage.removeItem(TOKEN_KEY);
        await askToken();
        continue;
      }
      if (opts.raw) {
        if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => null));
        return res;
      }
      const body = res.status === 204 ? null : await res.json().catch(() => null);
      if (!res.ok) throw new ApiError(res.status, body);
      return body;
    }
    throw new ApiError(401, { error: 'unauthorized', detail: 'the token was refused' });
  }

  function qs(params) {
    const u = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) {
      if (v === undefined || v === null || v === '' || v === false) continue;
      u.set(k, v === true ? 'true' : String(v));
    }
    const s = u.toString();
    return s ? '?' + s : '';
  }

  // ---------------------------------------------------------------------------------
  // The query the controls describe, as the API's parameters.
  // ---------------------------------------------------------------------------------

  function queryParams() {
    return {
      q: state.q,
      regex: state.regex,
      case: state.caseSensitive,
      range: state.range,
      level: state.level,
      service: state.service,
      source: state.source,
      filters: state.filters.length ? JSON.stringify(state.filters.map(wireFilter)) : '',
    };
  }

  function wireFilter(f) {
    return { field: f.field, operator: f.operator, value: f.value, label: f.label };
  }

  // ---------------------------------------------------------------------------------
  // The log stream: a page of search results, then live entries over the WebSocket.
  // ---------------------------------------------------------------------------------

  // The entry's id: what the context endpoint and permalinks take.
  function entryId(e) {
    return e.id !== undefined && e.id !== null ? String(e.id) : '';
  }

  // What makes an entry itself in the list (ids may repeat across files): its file
  // and byte offset when the API gives them.
  // The file is taken by its last component: the same file may be named by another
  // path (relative, absolute) in a search page and in a resumed stream.
  function entryKey(e) {
    if (e.file !== undefined && e.offset !== undefined) {
      return String(e.file).split('/').pop() + '\u0000' + e.offset + '\u0000' + entryId(e) + '\u0000' + e.timestamp;
    }
    return entryId(e) || JSON.stringify(e);
  }

  function renderEntry(e, opts) {
    const li = el('li', 'entry');
    const level = String(e.level || '').toUpperCase();
    if (LEVELS.includes(level)) li.classList.add('lvl-' + level);
    li.dataset.id = entryId(e);

    const head = el('div', 'entry-head');
    head.appendChild(el('span', 'ts', fmtTime(e.timestamp)));
    const badge = el('span', 'badge', '[' + (level || '—') + ']');
    if (LEVELS.includes(level)) badge.classList.add('lvl-' + level);
    head.appendChild(badge);
    head.appendChild(textEl('span', 'svc', e.service || ''));
    head.appendChild(textEl('span', 'src', e.source || ''));
    if (Array.isArray(e.tags) && e.tags.length) {
      const tags = el('span', 'tags');
      for (const t of e.tags) tags.appendChild(textEl('span', 'tag', t));
      head.appendChild(tags);
    }
    const toggle = el('button', 'btn small expand', 'Details');
    toggle.type = 'button';
    toggle.setAttribute('aria-expanded', 'false');
    head.appendChild(toggle);
    li.appendChild(head);

    const msg = el('div', 'msg');
    li.appendChild(msg);

    const details = el('div', 'details');
    details.hidden = true;
    li.appendChild(details);

    // Opening a row shows its whole message and its metadata; the list then measures
    // it (its rows below move down).
    const open = (only) => {
      const show = only === undefined ? details.hidden : only;
      if (show && !details.firstChild) fillDetails(details, e, opts);
      details.hidden = !show;
      li.classList.toggle('open', show);
      toggle.setAttribute('aria-expanded', String(show));
      toggle.textContent = show ? 'Hide' : 'Details';
      scheduleRender();
    };
    appendMessage(msg, String(e.message === undefined || e.message === null ? '' : e.message), () => open(true));
    toggle.addEventListener('click', (ev) => {
      ev.stopPropagation();
      if (!opts || !opts.noActions) select(e, li);
      open();
    });
    if (!opts || !opts.noActions) head.addEventListener('click', () => { select(e, li); });
    li._open = open;
    return li;
  }

  function metadataOf(e) {
    const meta = {};
    for (const k of ['traceId', 'spanId', 'userId', 'requestId']) {
      if (e[k] !== undefined && e[k] !== null) meta[k] = e[k];
    }
    if (e.metadata && typeof e.metadata === 'object') Object.assign(meta, e.metadata);
    for (const k of ['file', 'line']) {
      if (e[k] !== undefined && e[k] !== null) meta[k] = e[k];
    }
    return meta;
  }

  function fillDetails(details, e, opts) {
    const meta = el('pre', 'meta', JSON.stringify(metadataOf(e), null, 2));
    meta.setAttribute('aria-label', 'Metadata');
    details.appendChild(meta);
    if (opts && opts.noActions) return;
    const actions = el('div', 'entry-actions');
    const add = (label, fn) => {
      const b = el('button', 'btn small', label);
      b.type = 'button';
      b.addEventListener('click', (ev) => { ev.stopPropagation(); fn(e); });
      actions.appendChild(b);
    };
    add('Find related logs', (x) => openContext(entryId(x), false));
    add('Copy context', copyContext);
    add('Share permalink', sharePermalink);
    add('Open full view', (x) => openContext(entryId(x), true));
    details.appendChild(actions);
  }

  // Highlights the plain words of the search as <mark> elements built with text nodes.
  // A long message is shown cut, with a button for the rest: a multi-megabyte line
  // would otherwise stall the page.
  const MESSAGE_SHOWN = 4000;

  function appendMessage(node, text, opened) {
    const shown = node.appendChild(el('span', 'msg-text'));
    if (text.length <= MESSAGE_SHOWN) {
      appendHighlighted(shown, text);
      return;
    }
    appendHighlighted(shown, text.slice(0, MESSAGE_SHOWN));
    const more = el('button', 'btn small more', '… ' + (text.length - MESSAGE_SHOWN).toLocaleString('en-US') + ' more characters: show all');
    more.type = 'button';
    more.addEventListener('click', (ev) => {
      ev.stopPropagation();
      clear(shown);
      appendVisible(shown, text);
      more.remove();
      if (opened) opened();
    });
    node.appendChild(more);
  }

  function appendHighlighted(node, text) {
    const words = highlightWords();
    if (!words.length || text.length > 20000) {
      appendVisible(node, text);
      return;
    }
    const lower = state.caseSensitive ? text : text.toLowerCase();
    let i = 0;
    while (i < text.length) {
      let best = -1;
      let len = 0;
      for (const w of words) {
        const at = lower.indexOf(w, i);
        if (at >= 0 && (best < 0 || at < best)) { best = at; len = w.length; }
      }
      if (best < 0) break;
      if (best > i) appendVisible(node, text.slice(i, best));
      appendVisible(node.appendChild(el('mark')), text.slice(best, best + len));
      i = best + len;
    }
    if (i < text.length) appendVisible(node, text.slice(i));
  }

  function highlightWords() {
    if (state.regex) return [];
    const words = [];
    const re = /"([^"]+)"|(\S+)/g;
    let m;
    while ((m = re.exec(state.q))) {
      const w = m[1] || m[2];
      if (!w || w.includes(':') || /^(AND|OR|NOT)$/.test(w) || w.startsWith('-') || w.startsWith('/')) continue;
      const clean = w.replace(/^\(+|\)+$/g, '');
      if (clean.length >= 2) words.push(state.caseSensitive ? clean : clean.toLowerCase());
    }
    return words;
  }

  function select(e, li) {
    state.selected = e;
    for (const s of document.querySelectorAll('.entry.selected')) s.classList.remove('selected');
    if (li) li.classList.add('selected');
    $('qa-selected').textContent = 'Selected: ' + fmtTime(e.timestamp) + ' ' + (e.level || '') + ' ' + (e.service || '');
    for (const id of ['qa-related', 'qa-copy', 'qa-share', 'qa-full']) $(id).disabled = false;
  }

  // ---------------------------------------------------------------------------------
  // The stream's list, virtualized: up to MAX_ENTRIES entries are kept (newest first,
  // in a ring buffer: a live entry goes in front and, once full, the oldest drops
  // out), and only the rows in view (plus a few either side) are in the DOM. Rows
  // have one height; an opened row is measured and the rows below it move down by
  // its extra height.
  // ---------------------------------------------------------------------------------

  const ROW_H = 44;
  const OVERSCAN = 6;

  // Row k (a number that never changes while the row is kept) is at index k - minK:
  // an entry put in front takes minK - 1, one put at the end minK + len.
  const rows = { buf: new Array(MAX_ENTRIES), head: 0, len: 0, minK: 0, chars: 0 };

  function resetRows() {
    rows.buf = new Array(MAX_ENTRIES);
    rows.head = 0;
    rows.len = 0;
    rows.minK = 0;
    rows.chars = 0;
    state.ids = new Set();
    state.expanded = new Map();
    state.shift = 0;
    for (const li of rendered.values()) li.remove();
    rendered.clear();
  }

  function rowAt(i) {
    return rows.buf[(rows.head + i) % MAX_ENTRIES];
  }

  function dropOldest() {
    const slot = (rows.head + rows.len - 1) % MAX_ENTRIES;
    const old = rows.buf[slot];
    rows.buf[slot] = undefined;
    rows.len -= 1;
    rows.chars -= old.size;
    state.ids.delete(old.key);
    state.expanded.delete(old.k);
  }

  // Puts an entry in front (live) or at the end (a page of older ones); false when it
  // is already shown or, at the end, when the list is full.
  // `size` is the entry's JSON length when known (a stream message's).
  function addRow(e, front, size) {
    const key = entryKey(e);
    if (state.ids.has(key)) return false;
    const chars = size || JSON.stringify(e).length;
    if (front) {
      while (rows.len && (rows.len === MAX_ENTRIES || rows.chars + chars > MAX_CHARS)) dropOldest();
      rows.head = (rows.head - 1 + MAX_ENTRIES) % MAX_ENTRIES;
      rows.minK -= 1;
      rows.buf[rows.head] = { e, key, k: rows.minK, size: chars, fresh: true };
    } else {
      if (rows.len === MAX_ENTRIES || (rows.len && rows.chars + chars > MAX_CHARS)) return false;
      rows.buf[(rows.head + rows.len) % MAX_ENTRIES] = { e, key, k: rows.minK + rows.len, size: chars };
    }
    rows.len += 1;
    rows.chars += chars;
    state.ids.add(key);
    return true;
  }

  function showEntries(list, append) {
    if (!append) resetRows();
    for (const e of list) addRow(e, false);
    scheduleRender();
  }

  function prependLive(e, size) {
    if (!addRow(e, true, size)) return;
    state.total += 1;
    state.shift += 1;
    scheduleRender();
  }

  let renderQueued = false;
  function scheduleRender() {
    if (renderQueued) return;
    renderQueued = true;
    requestAnimationFrame(() => {
      renderQueued = false;
      renderRows();
    });
  }

  // The opened rows present, by index, with their extra height.
  function openedRows() {
    const out = [];
    for (const [k, extra] of state.expanded) {
      const i = k - rows.minK;
      if (i >= 0 && i < rows.len) out.push([i, extra]);
      else state.expanded.delete(k);
    }
    return out.sort((a, b) => a[0] - b[0]);
  }

  function rowTop(i, opened) {
    let t = i * ROW_H;
    for (const [j, extra] of opened) {
      if (j >= i) break;
      t += extra;
    }
    return t;
  }

  // The index of the row at height y.
  function rowIndexAt(y, opened) {
    let before = 0;
    for (const [j, extra] of opened) {
      const top = j * ROW_H + before;
      if (y < top) break;
      if (y < top + ROW_H + extra) return j;
      before += extra;
    }
    return Math.max(0, Math.floor((y - before) / ROW_H));
  }

  const rendered = new Map(); // row k -> its li

  function renderRows() {
    const scroller = $('stream-scroll');
    const ol = $('stream-list');
    // Entries put in front move what is in view down: follow shows them, otherwise
    // the reader's place is kept.
    if (state.shift) {
      if (state.follow) scroller.scrollTop = 0;
      else if (scroller.scrollTop > 0) scroller.scrollTop += state.shift * ROW_H;
      state.shift = 0;
    }
    for (let pass = 0; pass < 3; pass++) {
      const opened = openedRows();
      const extraAll = opened.reduce((sum, o) => sum + o[1], 0);
      ol.style.height = rows.len * ROW_H + extraAll + 'px';
      const top = scroller.scrollTop;
      const first = Math.max(0, rowIndexAt(top, opened) - OVERSCAN);
      const last = Math.min(rows.len - 1, rowIndexAt(top + scroller.clientHeight, opened) + OVERSCAN);
      const keep = new Map();
      let before = null;
      for (let i = last; i >= first; i--) {
        const row = rowAt(i);
        let li = rendered.get(row.k);
        if (!li) {
          li = renderEntry(row.e);
          li._k = row.k;
          if (state.expanded.has(row.k)) li._open(true);
          if (row.fresh) li.classList.add('fresh');
        }
        row.fresh = false;
        li.style.top = rowTop(i, opened) + 'px';
        li.setAttribute('aria-posinset', String(i + 1));
        li.setAttribute('aria-setsize', String(rows.len));
        li.classList.toggle('selected', row.e === state.selected);
        if (li.nextSibling !== before || li.parentNode !== ol) ol.insertBefore(li, before);
        before = li;
        keep.set(row.k, li);
      }
      for (const [k, li] of rendered) if (!keep.has(k)) li.remove();
      rendered.clear();
      for (const [k, li] of keep) rendered.set(k, li);
      if (!measureOpened()) break;
    }
    updateShowing(scroller);
  }

  // Measures the opened rows in the DOM; true when an extra height changed.
  function measureOpened() {
    let changed = false;
    for (const [k, li] of rendered) {
      const open = li.classList.contains('open');
      const extra = open ? Math.max(0, li.offsetHeight - ROW_H) : 0;
      const had = state.expanded.get(k);
      if (open && had !== extra) {
        state.expanded.set(k, extra);
        changed = true;
      } else if (!open && had !== undefined) {
        state.expanded.delete(k);
        changed = true;
      }
    }
    return changed;
  }

  function updateShowing(scroller) {
    const n = rows.len;
    $('showing').textContent = n
      ? 'Showing 1-' + n.toLocaleString('en-US') + ' of ' + state.total.toLocaleString('en-US')
      : 'Showing 0 of ' + state.total.toLocaleString('en-US');
    const view = $('in-view');
    if (n && scroller) {
      const opened = openedRows();
      const a = Math.min(n, rowIndexAt(scroller.scrollTop, opened) + 1);
      const b = Math.min(n, rowIndexAt(scroller.scrollTop + Math.max(0, scroller.clientHeight - 1), opened) + 1);
      view.textContent = '· rows ' + a.toLocaleString('en-US') + '-' + b.toLocaleString('en-US') + ' in view';
    } else {
      view.textContent = '';
    }
    $('stream-empty').hidden = n > 0;
    $('btn-older').hidden = !state.nextCursor || n >= MAX_ENTRIES || rows.chars >= MAX_CHARS;
  }

  // A search: the stream is opened first (it sends what is written from then on),
  // then the page of newest entries is read, so no line falls between the two; what
  // the stream sends meanwhile waits and is merged in (once: entries are keyed by id).
  async function runSearch() {
    const gen = ++state.generation;
    disconnect();
    $('query-error').hidden = true;
    forgetPlace();
    state.pending = [];
    state.searching = true;
    if (!state.paused) await Promise.race([connect(), sleep(2000)]);
    if (gen !== state.generation) return;
    let body;
    try {
      body = await api(API + '/logs/search' + qs(Object.assign(queryParams(), { limit: PAGE })));
    } catch (err) {
      if (gen !== state.generation) return;
      state.searching = false;
      disconnect();
      setLive('off', 'Stopped: the search failed');
      showQueryError(err);
      state.total = 0;
      state.nextCursor = null;
      showEntries([], false);
      searched();
      return;
    }
    if (gen !== state.generation) return;
    const entries = body.entries || body.logs || [];
    state.total = body.total !== undefined ? body.total : entries.length;
    state.nextCursor = body.nextCursor || null;
    showEntries(entries, false);
    state.searching = false;
    for (const e of state.pending.splice(0)) prependLive(e);
    searched();
    loadAnalytics();
  }

  function sleep(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  // A counter of finished searches, which the browser tests wait on.
  let searches = 0;
  function searched() {
    searches += 1;
    document.body.dataset.searches = String(searches);
  }

  async function loadOlder() {
    if (!state.nextCursor) return;
    const gen = state.generation;
    const body = await api(API + '/logs/search' + qs(Object.assign(queryParams(), { limit: PAGE, cursor: state.nextCursor })));
    if (gen !== state.generation) return;
    state.nextCursor = body.nextCursor || null;
    showEntries(body.entries || body.logs || [], true);
  }

  function showQueryError(err) {
    const box = $('query-error');
    const b = err.body || {};
    let text = (b.error || 'error') + (b.detail ? ': ' + b.detail : '');
    if (typeof b.position === 'number' && b.position >= 0) {
      text += '\n' + state.q + '\n' + ' '.repeat(b.position) + '^';
    }
    box.textContent = text;
    box.hidden = false;
  }

  // ---------------------------------------------------------------------------------
  // WebSocket with backoff; a reconnect resumes after the last entry seen.
  // ---------------------------------------------------------------------------------

  let ws = null;
  let retry = 0;
  let retryTimer = null;
  const arrivals = [];

  function setLive(kind, text) {
    $('live-dot').className = 'dot ' + kind;
    $('live-state').textContent = text;
    document.body.dataset.live = kind;
  }

  function wsUrl() {
    const p = queryParams();
    const params = {
      search: p.q, regex: p.regex, case: p.case,
      level: p.level, service: p.service, source: p.source, filters: p.filters,
      after: resumeAfter(),
    };
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return proto + '//' + location.host + '/ws/logs' + qs(params);
  }

  // Where a reconnect resumes: after the id of the last entry shown (as the seed's
  // client does), or after its stream cursor when it had no id or the server could
  // not find the entry by it.
  function resumeAfter() {
    return state.streamId && !state.idRefused ? state.streamId : state.streamCursor;
  }

  // The last entry the stream sent: what a reconnect resumes after.
  function rememberPlace(entry) {
    if (!entry.cursor) return;
    state.streamCursor = entry.cursor;
    state.streamId = entryId(entry) || null;
    state.idRefused = false;
  }

  // A connection that resumed after an id failed before it opened: if the server
  // answers, the id was refused (gone, or shared by several entries), so the next
  // attempt resumes after the cursor; if not, the server is down and the id is kept.
  async function checkRefusedId(after) {
    if (!after || after !== state.streamId) return;
    try {
      const res = await fetch(API + '/health', { headers: authHeaders() });
      if (res.ok && after === state.streamId) state.idRefused = true;
    } catch (_) { /* the server is down: keep the id */ }
  }

  // Opens the stream; the promise settles when it is open or has failed.
  function connect() {
    disconnect();
    const gen = state.generation;
    setLive('wait', retry ? 'Reconnecting…' : 'Connecting…');
    const t = token();
    const after = resumeAfter();
    const sock = new WebSocket(wsUrl(), t ? ['covet-logs', 'token.' + t] : ['covet-logs']);
    ws = sock;
    let opened = false;
    let settle;
    const settled = new Promise((resolve) => { settle = resolve; });
    sock.addEventListener('open', () => {
      settle();
      opened = true;
      if (ws !== sock) return;
      retry = 0;
      setLive('on', 'Connected');
    });
    sock.addEventListener('message', (ev) => {
      if (ws !== sock || gen !== state.generation) return;
      let entry;
      try { entry = JSON.parse(ev.data); } catch (_) { return; }
      if (!entry || typeof entry !== 'object' || entry.type === 'ping') return;
      rememberPlace(entry);
      arrivals.push(Date.now());
      if (state.searching) {
        if (state.pending.length < MAX_ENTRIES) state.pending.push(entry);
        return;
      }
      prependLive(entry, ev.data.length);
      refreshSoon();
    });
    sock.addEventListener('close', (ev) => {
      settle();
      if (ws !== sock) return;
      ws = null;
      if (state.paused) return;
      if (ev.code === 4400) forgetPlace();
      if (!opened) {
        checkRefusedId(after).then(() => {
          if (!ws && gen === state.generation && !state.paused) scheduleReconnect();
        });
        return;
      }
      if (ev.code === 4008) {
        // Overflow: the server kept our place; resume from the files at once.
        connect();
        return;
      }
      scheduleReconnect();
    });
    return settled;
  }

  function forgetPlace() {
    state.streamCursor = null;
    state.streamId = null;
    state.idRefused = false;
  }

  // Back on the stream after a pause or a failure: from the last entry it sent when
  // there is one (nothing lost or repeated), else by searching again.
  function resume() {
    if (state.streamCursor) connect();
    else runSearch();
  }

  function scheduleReconnect() {
    if (tokenPrompt) {
      tokenPrompt.then(resume);
      return;
    }
    retry += 1;
    const delay = Math.min(30000, 500 * Math.pow(2, retry - 1)) * (0.75 + Math.random() * 0.5);
    setLive('off', 'Disconnected, retrying in ' + Math.round(delay / 1000) + ' s');
    clearTimeout(retryTimer);
    retryTimer = setTimeout(resume, delay);
  }

  function disconnect() {
    clearTimeout(retryTimer);
    if (ws) {
      const old = ws;
      ws = null;
      // A socket still connecting is closed once open (closing it before makes the
      // browser log a failed connection).
      if (old.readyState === WebSocket.CONNECTING) old.addEventListener('open', () => old.close(1000));
      else old.close(1000);
    }
  }

  // Live entries change the cards: analytics again a few seconds after they arrive,
  // at most every ten seconds (each is a scan of the served files).
  let refreshTimer = null;
  let lastRefresh = 0;
  function refreshSoon() {
    if (refreshTimer) return;
    const wait = Math.max(3000, lastRefresh + 10000 - Date.now());
    refreshTimer = setTimeout(() => {
      refreshTimer = null;
      lastRefresh = Date.now();
      loadAnalytics();
    }, wait);
  }

  function tickRate() {
    const now = Date.now();
    while (arrivals.length && arrivals[0] < now - 5000) arrivals.shift();
    $('live-rate').textContent = (arrivals.length / 5).toFixed(1);
  }

  // ---------------------------------------------------------------------------------
  // Analytics: cards, charts (small SVGs), distributions, insights.
  // ---------------------------------------------------------------------------------

  // One analytics request at a time (each is a scan of the served files): a refresh
  // asked for meanwhile runs once the one in flight is done.
  let analyticsBusy = false;
  let analyticsAgain = false;
  async function loadAnalytics() {
    if (analyticsBusy) {
      analyticsAgain = true;
      return;
    }
    analyticsBusy = true;
    try {
      await loadAnalyticsNow();
    } finally {
      analyticsBusy = false;
      if (analyticsAgain) {
        analyticsAgain = false;
        loadAnalytics();
      }
    }
  }

  async function loadAnalyticsNow() {
    const gen = state.generation;
    let a;
    try {
      a = await api(API + '/logs/analytics' + qs(queryParams()));
    } catch (_) {
      return;
    }
    if (gen !== state.generation || !a) return;
    state.analytics = a;
    document.body.dataset.analyticsFor = state.q;
    loadAlerts();
    const trends = a.trends || {};
    const errors = a.errors !== undefined ? a.errors : levelCount(a, ['ERROR', 'FATAL']);
    const warnings = a.warnings !== undefined ? a.warnings : levelCount(a, ['WARN']);
    const share = (n) => (a.totalLogs ? ((100 * n) / a.totalLogs).toFixed(1) + '% of logs' : '');
    const span = a.span && a.span.seconds ? 'over ' + fmtSpan(a.span.seconds) : '';
    $('total-logs').textContent = fmtNum(a.totalLogs);
    setTrend($('total-trend'), trends.totalLogs, 'vs previous window', span);
    $('error-count').textContent = fmtNum(errors);
    setTrend($('error-trend'), trends.errors, 'vs previous window', share(errors));
    $('warn-count').textContent = fmtNum(warnings);
    setTrend($('warn-trend'), trends.warnings, 'vs previous window', share(warnings));

    $('an-error-rate').textContent = a.errorRate !== undefined ? a.errorRate.toFixed(2) + '%' : '–';
    setTrend($('an-error-trend'), trends.errorRate, 'vs previous window');
    $('an-rate').textContent = a.avgLogRate !== undefined ? fmtNum(a.avgLogRate) : '–';
    clear($('an-top-error'));
    appendVisible($('an-top-error'), a.topError ? a.topError.message : 'no errors');
    $('an-top-count').textContent = a.topError ? fmtNum(a.topError.count) + ' occurrences' : '';

    const series = a.volumeData || [];
    drawErrorRate($('chart-errors'), series);
    drawVolume($('chart-volume'), series);
    drawDist($('dist-level'), a.levelBreakdown || []);
    drawDist($('dist-service'), a.serviceDistribution || []);
    drawDist($('dist-error'), a.errorDistribution || []);
    drawInsights(a.insights || []);
    fillPicker($('service'), (a.serviceDistribution || []).map((d) => d.name), state.service);
  }

  function levelCount(a, names) {
    return (a.levelBreakdown || []).filter((d) => names.includes(d.name)).reduce((s, d) => s + d.value, 0);
  }

  function fmtSpan(s) {
    if (s < 120) return s.toFixed(1) + ' s';
    if (s < 7200) return (s / 60).toFixed(0) + ' min';
    if (s < 172800) return (s / 3600).toFixed(1) + ' h';
    return (s / 86400).toFixed(1) + ' days';
  }

  // A card's trend against the previous window of the same length; without a window
  // (all time) there is none, and `otherwise` says something useful instead.
  function setTrend(node, t, suffix, otherwise) {
    node.className = 'trend';
    if (!t || t.changePercent === null || t.changePercent === undefined) {
      node.textContent = t ? 'none in the previous window' : otherwise || '';
      return;
    }
    const c = t.changePercent;
    node.textContent = (c >= 0 ? '▲ +' : '▼ ') + c.toFixed(1) + '% ' + suffix;
    node.classList.add(c >= 0 ? 'up' : 'down');
  }

  function chartBox(node, label) {
    clear(node);
    const s = svg('svg', { viewBox: '0 0 600 110', preserveAspectRatio: 'none', role: 'img', 'aria-label': label });
    node.appendChild(s);
    return s;
  }

  function drawErrorRate(node, series) {
    const s = chartBox(node, 'Error rate per interval');
    if (!series.length) return;
    // An interval without entries has no rate: the line breaks there.
    const rates = series.map((d) => (d.value ? (100 * (d.errors || 0)) / d.value : null));
    const max = Math.max(1, ...rates.filter((r) => r !== null));
    const x = (i) => (series.length === 1 ? 300 : 30 + (i * 565) / (series.length - 1));
    const y = (v) => 100 - (v / max) * 90;
    const runs = [];
    rates.forEach((r, i) => {
      if (r === null) return;
      if (i === 0 || rates[i - 1] === null) runs.push([]);
      runs[runs.length - 1].push(i);
    });
    for (const run of runs) {
      const line = run.map((i, k) => (k ? 'L' : 'M') + x(i).toFixed(1) + ' ' + y(rates[i]).toFixed(1)).join('');
      const last = run[run.length - 1];
      s.appendChild(svg('path', { class: 'area-err', d: line + 'L' + x(last).toFixed(1) + ' 100L' + x(run[0]).toFixed(1) + ' 100Z' }));
      s.appendChild(svg('path', { class: 'line-err', d: line }));
    }
    s.appendChild(svg('line', { class: 'axis', x1: 28, y1: 100, x2: 598, y2: 100 }));
    const top = svg('text', { x: 0, y: 12 });
    top.textContent = max.toFixed(0) + '%';
    s.appendChild(top);
    timeLabels(node, series);
    for (let i = 0; i < rates.length; i++) {
      if (rates[i] === null) continue;
      const t = svg('title');
      t.textContent = fmtTime(series[i].timestamp) + ': ' + rates[i].toFixed(1) + '% errors';
      const dot = svg('circle', { cx: x(i), cy: y(rates[i]), r: 2, class: 'line-err' });
      dot.appendChild(t);
      s.appendChild(dot);
    }
  }

  function drawVolume(node, series) {
    const s = chartBox(node, 'Log volume per interval');
    if (!series.length) return;
    const max = Math.max(1, ...series.map((d) => d.value));
    const w = 565 / series.length;
    series.forEach((d, i) => {
      const h = (d.value / max) * 90;
      const bar = svg('rect', { class: 'bar', x: 30 + i * w, y: 100 - h, width: Math.max(1, w - 1), height: h });
      const t = svg('title');
      t.textContent = fmtTime(d.timestamp) + ': ' + d.value + ' logs, ' + (d.errors || 0) + ' errors';
      bar.appendChild(t);
      s.appendChild(bar);
      const eh = ((d.errors || 0) / max) * 90;
      if (eh > 0) s.appendChild(svg('rect', { class: 'bar-err', x: 30 + i * w, y: 100 - eh, width: Math.max(1, w - 1), height: eh }));
    });
    s.appendChild(svg('line', { class: 'axis', x1: 28, y1: 100, x2: 598, y2: 100 }));
    const top = svg('text', { x: 0, y: 12 });
    top.textContent = fmtNum(max);
    s.appendChild(top);
    timeLabels(node, series);
  }

  // The first and last interval's times under a chart (HTML text: an SVG stretched
  // to the panel's width would distort its own text).
  function timeLabels(node, series) {
    const row = el('div', 'chart-times');
    row.appendChild(el('span', null, fmtTime(series[0].timestamp)));
    row.appendChild(el('span', null, fmtTime(series[series.length - 1].timestamp)));
    node.appendChild(row);
  }

  function drawDist(node, data) {
    clear(node);
    const max = Math.max(1, ...data.map((d) => d.value));
    for (const d of data.slice(0, 8)) {
      const row = el('div', 'dist-row');
      const name = textEl('span', 'name', d.name);
      name.title = d.name;
      row.appendChild(name);
      const m = el('meter');
      m.min = 0; m.max = max; m.value = d.value;
      m.setAttribute('aria-label', d.name);
      row.appendChild(m);
      row.appendChild(el('span', 'n', fmtNum(d.value)));
      node.appendChild(row);
    }
    if (!data.length) node.appendChild(el('p', 'muted', 'none'));
  }

  function drawInsights(list) {
    const ul = $('insights');
    clear(ul);
    if (!list.length) {
      ul.appendChild(el('li', 'muted', 'No unusual patterns in this window.'));
      return;
    }
    for (const i of list) {
      const li = el('li', 'insight');
      const head = el('div', 'insight-head');
      head.appendChild(textEl('span', null, i.title));
      head.appendChild(el('span', 'insight-conf', Number(i.confidence).toFixed(1) + '% confidence'));
      li.appendChild(head);
      li.appendChild(textEl('div', null, i.description));
      // An insight's actions are CLI commands: each button copies its command.
      if (Array.isArray(i.actions) && i.actions.length) {
        const row = el('div', 'insight-actions');
        for (const a of i.actions) {
          const b = el('button', 'btn small', a.label);
          b.type = 'button';
          b.title = a.command;
          b.addEventListener('click', async () => {
            flash($('qa-msg'), (await copyText(a.command)) ? 'Copied: ' + a.command : a.command);
          });
          row.appendChild(b);
        }
        li.appendChild(row);
      }
      ul.appendChild(li);
    }
  }

  function fillPicker(select, names, current) {
    const have = new Set(Array.from(select.options).map((o) => o.value));
    for (const n of names.slice().sort()) {
      if (n && !have.has(n)) {
        const o = el('option', null, n);
        o.value = n;
        select.appendChild(o);
        have.add(n);
      }
    }
    select.value = current;
  }

  async function loadFields() {
    try {
      const body = await api(API + '/logs/fields');
      const fields = Array.isArray(body) ? body : body.fields || [];
      const named = (n) => fields.find((f) => f.field === n || f.name === n);
      const values = (f) => ((f && (f.top || f.topValues)) || []).map((v) => (v && typeof v === 'object' ? v.value : v));
      fillPicker($('service'), values(named('service')), state.service);
      fillPicker($('source'), values(named('source')), state.source);
      const list = $('field-names');
      const have = new Set(Array.from(list.options).map((o) => o.value));
      for (const f of fields) {
        const name = String(f.field || f.name || '').replace(/^metadata\./, '');
        if (name && !have.has(name)) {
          const o = el('option');
          o.value = name;
          list.appendChild(o);
          have.add(name);
        }
      }
    } catch (_) {
      // The pickers keep what analytics gave them.
    }
  }

  // ---------------------------------------------------------------------------------
  // Context, permalinks, copy.
  // ---------------------------------------------------------------------------------

  async function fetchContext(id) {
    const mode = $('ctx-mode').value;
    return api(API + '/logs/' + encodeURIComponent(id) + '/context' + qs({ range: $('ctx-range').value, mode }));
  }

  async function openContext(id, full) {
    const dlg = $('context');
    dlg.classList.toggle('full', !!full);
    dlg.dataset.id = id;
    clear($('ctx-selected'));
    clear($('ctx-summary'));
    clear($('ctx-timeline'));
    clear($('ctx-insights'));
    $('ctx-summary').textContent = 'Loading…';
    if (!dlg.open) dlg.showModal();
    let ctx;
    try {
      ctx = await fetchContext(id);
    } catch (err) {
      $('ctx-summary').textContent = err.status === 404 ? 'No entry with this id in the served logs.' : 'Could not load the context: ' + err.message;
      dlg.dataset.loaded = 'error';
      return;
    }
    if (dlg.dataset.id !== id) return;
    const selected = ctx.selected || ctx.entry || null;
    if (selected) {
      const li = renderEntry(selected, { noActions: true });
      li.classList.add('selected');
      const ol = el('ol', 'stream');
      ol.appendChild(li);
      $('ctx-selected').appendChild(ol);
      if (full) li._open();
    }
    drawSummary(ctx);
    const related = ctx.timeline || ctx.relatedLogs || ctx.related || [];
    drawCorrelation(ctx, selected, related.map((x) => x.entry || x));
    const tl = $('ctx-timeline');
    for (const e of related) {
      const li = renderEntry(e.entry || e, { noActions: true });
      if (selected && entryId(e.entry || e) === entryId(selected) && (e.entry || e).offset === selected.offset) li.classList.add('selected');
      tl.appendChild(li);
    }
    if (!related.length) tl.appendChild(el('li', 'empty', 'No related entries.'));
    dlg.dataset.loaded = id;
  }

  function drawSummary(ctx) {
    const box = $('ctx-summary');
    clear(box);
    const s = ctx.summary || {};
    const dl = el('dl');
    const row = (k, v) => {
      if (v === undefined || v === null || v === '') return;
      dl.appendChild(el('dt', null, k));
      dl.appendChild(textEl('dd', null, v));
    };
    row('Correlated by', ctx.by ? ctx.by + (ctx.key ? ' = ' + ctx.key : '') : null);
    row('Related entries', s.related);
    if (Array.isArray(s.services)) row('Services', s.services.join(', '));
    if (Array.isArray(s.levels)) row('Levels', s.levels.map((p) => (Array.isArray(p) ? p.join(' ') : String(p))).join(', '));
    if (s.firstError) row('First error', (s.firstError.level || '') + ' ' + (s.firstError.message || '') + ' (' + s.firstError.offsetSeconds + ' s)');
    if (s.spanSeconds !== undefined) row('Span', s.spanSeconds + ' s');
    if (s.longestGapSeconds !== undefined) row('Longest gap', s.longestGapSeconds + ' s after ' + fmtTime(s.longestGapAfter));
    const known = ['related', 'services', 'levels', 'firstError', 'spanSeconds', 'longestGapSeconds', 'longestGapAfter'];
    for (const [k, v] of Object.entries(s)) {
      if (!known.includes(k)) row(k, typeof v === 'object' ? JSON.stringify(v) : v);
    }
    if (!dl.firstChild) box.textContent = 'No summary.';
    else box.appendChild(dl);
  }

  // The correlation analysis (the seed's CorrelationInsights) of the context's
  // timeline: the path through the services, the errors on it and where the first
  // one is, the selected entry's place, the slowest step, the other keys the
  // entries share. Each finding is one item of text.
  const ERRORISH = ['ERROR', 'FATAL'];

  function correlationFindings(ctx, selected, timeline) {
    const out = [];
    const by = ctx.by && ctx.by !== 'none' ? ctx.by + ' ' + (ctx.key || '') : null;
    if (!timeline.length) return [['Correlation', by ? 'No other entry shares ' + by + ' in this window.' : 'No key to correlate by in this entry.']];
    const sorted = timeline.slice().sort((a, b) => String(a.timestamp).localeCompare(String(b.timestamp)));
    const same = (a, b) => a && b && entryId(a) === entryId(b) && a.offset === b.offset;
    const path = [];
    for (const e of sorted) {
      const svc = e.service || '?';
      if (!path.length || path[path.length - 1][0] !== svc) path.push([svc, 1]);
      else path[path.length - 1][1] += 1;
    }
    const hops = path.map(([svc, k]) => (k > 1 ? svc + ' ×' + k : svc)).join(' → ');
    const services = new Set(sorted.map((e) => e.service || '?')).size;
    out.push(['Path', sorted.length + ' entries' + (by ? ' sharing ' + by : '') + ' across ' + services + (services === 1 ? ' service: ' : ' services: ') + hops]);
    const errors = sorted.filter((e) => ERRORISH.includes(String(e.level || '').toUpperCase()));
    if (errors.length) {
      const first = errors[0];
      const dt = selected ? (Date.parse(first.timestamp) - Date.parse(selected.timestamp)) / 1000 : NaN;
      const when = Number.isFinite(dt) ? (dt === 0 ? 'at the selected entry\'s time' : Math.abs(dt).toFixed(3) + ' s ' + (dt < 0 ? 'before' : 'after') + ' the selected entry') : '';
      const errServices = Array.from(new Set(errors.map((e) => e.service || '?')));
      out.push(['Errors', errors.length + ' of ' + sorted.length + ' at ERROR or above, in ' + errServices.join(', ') + '; the first in ' + (first.service || '?') + ' ' + when + ': ' + (first.message || '')]);
    } else {
      out.push(['Errors', 'none of the ' + sorted.length + ' entries is at ERROR or above']);
    }
    const at = sorted.findIndex((e) => same(e, selected) || e.selected === true);
    if (at >= 0) out.push(['Position', 'the selected entry is ' + (at + 1) + ' of ' + sorted.length + ' in time (' + at + ' before it, ' + (sorted.length - at - 1) + ' after)']);
    const timed = sorted.filter((e) => e.metadata && typeof e.metadata.duration_ms === 'number');
    if (timed.length) {
      const slow = timed.reduce((m, e) => (e.metadata.duration_ms > m.metadata.duration_ms ? e : m));
      out.push(['Slowest step', slow.metadata.duration_ms + ' ms in ' + (slow.service || '?') + ': ' + (slow.message || '')]);
    }
    const keys = [['traceId', 'traces'], ['requestId', 'requests'], ['userId', 'users']];
    const shared = [];
    for (const [k, name] of keys) {
      const vals = new Set(sorted.map((e) => e[k]).filter((v) => v !== undefined && v !== null));
      if (vals.size) shared.push(vals.size + ' ' + (vals.size === 1 ? name.slice(0, -1) + ' (' + Array.from(vals)[0] + ')' : name));
    }
    if (shared.length) out.push(['Keys', shared.join(', ')]);
    const t0 = Date.parse(sorted[0].timestamp);
    const t1 = Date.parse(sorted[sorted.length - 1].timestamp);
    if (Number.isFinite(t0) && Number.isFinite(t1)) out.push(['Span', ((t1 - t0) / 1000).toFixed(3) + ' s from the first to the last']);
    return out;
  }

  function drawCorrelation(ctx, selected, timeline) {
    const ul = $('ctx-insights');
    clear(ul);
    for (const [title, text] of correlationFindings(ctx, selected, timeline)) {
      const li = el('li', 'finding');
      li.dataset.kind = title.toLowerCase().replace(/\s+/g, '-');
      li.appendChild(el('strong', null, title + ': '));
      li.appendChild(textEl('span', null, text));
      ul.appendChild(li);
    }
  }

  function permalink(e) {
    return location.origin + location.pathname + '#entry=' + encodeURIComponent(entryId(e));
  }

  async function copyText(text) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch (_) {
      const ta = el('textarea');
      ta.value = text;
      document.body.appendChild(ta);
      ta.select();
      let ok = false;
      try { ok = document.execCommand('copy'); } catch (__) { ok = false; }
      ta.remove();
      return ok;
    }
  }

  function contextText(e, ctx) {
    const line = (x) => [fmtTime(x.timestamp), '[' + (x.level || '') + ']', x.service || '', x.source || '', x.message || ''].join(' ');
    const lines = ['Selected: ' + line(e), 'Permalink: ' + permalink(e)];
    const related = (ctx && (ctx.timeline || ctx.relatedLogs || ctx.related)) || [];
    if (related.length) lines.push('Related:');
    for (const r of related) lines.push('  ' + line(r.entry || r));
    return lines.join('\n') + '\n';
  }

  async function copyContext(e) {
    let ctx = null;
    try { ctx = await fetchContext(entryId(e)); } catch (_) { ctx = null; }
    const text = contextText(e, ctx);
    document.body.dataset.copied = text;
    flash($('qa-msg'), (await copyText(text)) ? 'Context copied.' : 'Copy failed: select the text in the context view.');
  }

  // ---------------------------------------------------------------------------------
  // Alert rules: kept by the server (/api/v1/alerts, the `stats --alert` language) and
  // checked against what the analytics show; a firing rule is listed as such.
  // ---------------------------------------------------------------------------------

  // A rule for entries like this one (its level and service).
  function alertRule(e) {
    const terms = [];
    if (e.level) terms.push('level:' + quoteValue(String(e.level)));
    if (e.service) terms.push('service:' + quoteValue(String(e.service)));
    return 'count(' + (terms.join(' ') || '*') + ') > 0';
  }

  function alertName(e) {
    const raw = [e.level, e.service].filter(Boolean).join('-').toLowerCase();
    const name = raw.replace(/[^a-z0-9_.-]+/g, '-').replace(/^[-.]+/, '').slice(0, 64);
    return name || 'alert';
  }

  function openAlertDialog() {
    const e = state.selected;
    $('alert-name').value = e ? alertName(e) : 'error-rate';
    $('alert-rule').value = e ? alertRule(e) : 'error_rate > 5%';
    $('alert-desc').value = '';
    $('alert-error').hidden = true;
    $('alert-dlg').showModal();
    $('alert-rule').focus();
  }

  async function saveAlert(ev) {
    ev.preventDefault();
    const rule = $('alert-rule').value.trim();
    const body = { name: $('alert-name').value.trim(), rule };
    const desc = $('alert-desc').value.trim();
    if (desc) body.description = desc;
    try {
      await api(API + '/alerts', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    } catch (err) {
      const box = $('alert-error');
      let text = err.message;
      if (err.body && typeof err.body.position === 'number') text += '\n' + rule + '\n' + ' '.repeat(err.body.position) + '^';
      box.textContent = text;
      box.hidden = false;
      return;
    }
    $('alert-dlg').close();
    flash($('qa-msg'), 'Alert rule ' + body.name + ' saved: ' + rule);
    loadAlerts();
  }

  async function deleteAlert(name) {
    try {
      await api(API + '/alerts/' + encodeURIComponent(name), { method: 'DELETE' });
      flash($('qa-msg'), 'Deleted alert rule ' + name);
    } catch (err) {
      flash($('qa-msg'), 'Could not delete: ' + err.message);
    }
    loadAlerts();
  }

  let alertChecks = 0;
  async function loadAlerts() {
    const gen = state.generation;
    let body;
    try {
      body = await api(API + '/alerts' + qs(queryParams()));
    } catch (_) {
      return;
    }
    if (gen !== state.generation) return;
    state.alerts = (body && body.alerts) || [];
    drawAlerts(state.alerts);
    alertChecks += 1;
    document.body.dataset.alertChecks = String(alertChecks);
  }

  function drawAlerts(list) {
    const ul = $('alerts');
    clear(ul);
    const firing = list.filter((a) => a.fired).length;
    $('alerts-firing').textContent = list.length ? firing + ' of ' + list.length + ' firing' : '';
    if (!list.length) ul.appendChild(el('li', 'muted', 'No rules yet: "Create alert rule" adds one.'));
    for (const a of list) {
      const li = el('li', 'alert-rule ' + (a.fired ? 'firing' : 'quiet'));
      li.dataset.name = a.name;
      const head = el('div', 'alert-head');
      head.appendChild(el('span', 'alert-state', a.fired ? 'FIRING' : 'ok'));
      head.appendChild(textEl('strong', 'alert-name', a.name));
      head.appendChild(textEl('code', 'alert-text', a.rule));
      const del = el('button', 'btn small', 'Delete');
      del.type = 'button';
      del.setAttribute('aria-label', 'Delete alert rule ' + a.name);
      del.addEventListener('click', () => deleteAlert(a.name));
      head.appendChild(del);
      li.appendChild(head);
      li.appendChild(textEl('div', 'alert-reason', a.reason + (a.description ? ' · ' + a.description : '')));
      ul.appendChild(li);
    }
  }

  // ---------------------------------------------------------------------------------
  // Report issue: what this view shows, as text ready to paste into a ticket; copied
  // and downloaded from the page itself (no network).
  // ---------------------------------------------------------------------------------

  function rangeLabel() {
    const o = $('range').selectedOptions[0];
    return o ? o.textContent : 'All time';
  }

  function reportText() {
    const a = state.analytics || {};
    const n = (v) => (typeof v === 'number' ? v.toLocaleString('en-US') : '–');
    const toggles = [state.regex ? 'regex' : '', state.caseSensitive ? 'case-sensitive' : ''].filter(Boolean);
    const lines = ['# covet-logs issue report', ''];
    lines.push('- Generated: ' + new Date().toISOString());
    lines.push('- Page: ' + location.origin + location.pathname);
    lines.push('- Query: ' + (state.q ? '`' + state.q + '`' : '(everything)') + (toggles.length ? ' (' + toggles.join(', ') + ')' : ''));
    const picks = [];
    if (state.level) picks.push('level ' + state.level);
    if (state.service) picks.push('service ' + state.service);
    if (state.source) picks.push('source ' + state.source);
    for (const f of state.filters) picks.push(f.label);
    lines.push('- Filters: ' + (picks.length ? picks.join('; ') : 'none'));
    lines.push('- Range: ' + rangeLabel());
    lines.push('- Matching entries: ' + n(state.total));
    if (a.totalLogs !== undefined) {
      lines.push('- Errors: ' + n(a.errors) + ', warnings: ' + n(a.warnings) + ', error rate: ' + (typeof a.errorRate === 'number' ? a.errorRate.toFixed(2) + '%' : '–'));
    }
    lines.push('- Top error: ' + (a.topError ? a.topError.message + ' (' + n(a.topError.count) + ' occurrences)' : 'none'));
    const firing = (state.alerts || []).filter((x) => x.fired);
    lines.push('- Firing alert rules: ' + (firing.length ? '' : 'none'));
    for (const x of firing) lines.push('  - ' + x.name + ': `' + x.rule + '` (' + x.reason + ')');
    const insights = a.insights || [];
    if (insights.length) {
      lines.push('- Insights:');
      for (const i of insights) lines.push('  - ' + i.title + ' (' + Number(i.confidence).toFixed(1) + '% confidence)');
    }
    const e = state.selected;
    if (e) {
      lines.push('- Selected entry: ' + [fmtTime(e.timestamp), '[' + (e.level || '') + ']', e.service || '', e.message || ''].join(' '));
      lines.push('- Permalink: ' + permalink(e));
    }
    // Log text is the reader's to see, not to obey: control characters shown.
    return lines.join('\n').replace(INVISIBLE, shownChar) + '\n';
  }

  async function reportIssue() {
    const text = reportText();
    document.body.dataset.copied = text;
    const blob = new Blob([text], { type: 'text/markdown' });
    const a = el('a');
    a.href = URL.createObjectURL(blob);
    a.download = 'covet-logs-report.md';
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
    flash($('qa-msg'), (await copyText(text)) ? 'Report copied and downloaded (covet-logs-report.md).' : 'Report downloaded (covet-logs-report.md).');
  }

  async function sharePermalink(e) {
    const url = permalink(e);
    document.body.dataset.permalink = url;
    flash($('qa-msg'), (await copyText(url)) ? 'Permalink copied: ' + url : url);
  }

  function openFromHash() {
    const m = /^#entry=(.+)$/.exec(location.hash);
    if (m) openContext(decodeURIComponent(m[1]), false);
  }

  // ---------------------------------------------------------------------------------
  // Filters: builder, chips, saved filters and presets, recent searches, suggestions.
  // ---------------------------------------------------------------------------------

  function renderChips() {
    const box = $('chips');
    clear(box);
    box.hidden = state.filters.length === 0;
    state.filters.forEach((f, i) => {
      const chip = el('span', 'chip', f.label);
      const x = el('button', null, '×');
      x.type = 'button';
      x.setAttribute('aria-label', 'Remove filter ' + f.label);
      x.addEventListener('click', () => {
        state.filters.splice(i, 1);
        renderChips();
        runSearch();
      });
      chip.appendChild(x);
      box.appendChild(chip);
    });
  }

  function addFilter(ev) {
    ev.preventDefault();
    const field = $('f-field').value.trim();
    const operator = $('f-op').value;
    const value = $('f-value').value.trim();
    if (!field || (!value && operator !== 'exists')) return;
    const f = { field, operator, value: filterValue(operator, value) };
    f.label = operator === 'exists' ? field + ' exists' : field + ' ' + operator + ' ' + value;
    state.filters.push(f);
    $('f-value').value = '';
    renderChips();
    runSearch();
  }

  // The builder's text as the LogFilter value: `a..b` (either end optional) for a range.
  function filterValue(operator, text) {
    if (operator === 'exists') return true;
    if (operator !== 'range') return text;
    const m = /^\s*([^.]*?)\s*\.\.\s*(.*?)\s*$/.exec(text);
    const num = (v) => (v !== '' && !Number.isNaN(Number(v)) ? Number(v) : v);
    if (!m) return { min: num(text) };
    const r = {};
    if (m[1] !== '') r.min = num(m[1]);
    if (m[2] !== '') r.max = num(m[2]);
    return r;
  }

  async function loadPresets() {
    let list;
    try {
      const body = await api(API + '/logs/filters');
      list = Array.isArray(body) ? body : body.filters || [];
    } catch (_) {
      return;
    }
    const sel = $('presets');
    while (sel.options.length > 1) sel.remove(1);
    for (const f of list) {
      const toggles = [f.regex ? 'regex' : '', f.caseSensitive ? 'case' : ''].filter(Boolean);
      const o = el('option', null, f.name + (f.builtIn ? ' (built in)' : '') + ' — ' + (f.query || '') + (toggles.length ? ' [' + toggles.join(', ') + ']' : ''));
      o.value = f.name;
      o.dataset.query = f.query || '';
      o.dataset.regex = f.regex ? '1' : '';
      o.dataset.caseSensitive = f.caseSensitive ? '1' : '';
      sel.appendChild(o);
    }
  }

  async function saveFilter(ev) {
    ev.preventDefault();
    const name = $('save-name').value.trim();
    if (!name) return;
    const query = composedQuery();
    if (!query && !state.filters.length) {
      flash($('filter-msg'), 'Nothing to save: type a search or pick a filter first.');
      return;
    }
    const body = { name, filters: state.filters.map(wireFilter), regex: state.regex, caseSensitive: state.caseSensitive };
    if (query) body.query = query;
    try {
      const saved = await api(API + '/logs/filters', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      flash($('filter-msg'), 'Saved filter ' + name + ((saved && saved.query) ? ': ' + saved.query : ''));
      $('save-name').value = '';
      loadPresets();
    } catch (err) {
      flash($('filter-msg'), 'Could not save: ' + err.message);
    }
  }

  // The search box and the level/service/source pickers as one query text, for a
  // saved filter (the structured filters go alongside and the server joins them).
  function composedQuery() {
    const parts = [];
    if (state.q) parts.push(state.q);
    if (state.level) parts.push('level:' + state.level);
    if (state.service) parts.push('service:' + quoteValue(state.service));
    if (state.source) parts.push('source:' + quoteValue(state.source));
    return parts.join(' ');
  }

  function quoteValue(v) {
    return /^[^\s"():]+$/.test(v) ? v : '"' + v.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"';
  }

  function loadPreset() {
    const sel = $('presets');
    const o = sel.selectedOptions[0];
    if (!o || !o.value) return;
    // The preset's query and toggles hold everything it filters on: the pickers start over.
    setQuery(o.dataset.query || '');
    state.regex = $('opt-regex').checked = o.dataset.regex === '1';
    state.caseSensitive = $('opt-case').checked = o.dataset.caseSensitive === '1';
    state.filters = [];
    setLevel('');
    state.service = $('service').value = '';
    state.source = $('source').value = '';
    renderChips();
    runSearch();
  }

  async function deletePreset() {
    const name = $('presets').value;
    if (!name) return;
    try {
      await api(API + '/logs/filters/' + encodeURIComponent(name), { method: 'DELETE' });
      flash($('filter-msg'), 'Deleted filter ' + name);
      loadPresets();
    } catch (err) {
      flash($('filter-msg'), 'Could not delete: ' + err.message);
    }
  }

  function recentSearches() {
    try {
      const v = JSON.parse(localStorage.getItem(RECENT_KEY) || '[]');
      return Array.isArray(v) ? v.filter((x) => typeof x === 'string') : [];
    } catch (_) {
      return [];
    }
  }

  function remember(q) {
    if (!q) return;
    const list = [q].concat(recentSearches().filter((x) => x !== q)).slice(0, 8);
    localStorage.setItem(RECENT_KEY, JSON.stringify(list));
    renderRecent();
  }

  function renderRecent() {
    const ul = $('recent');
    clear(ul);
    const list = recentSearches();
    if (!list.length) ul.appendChild(el('li', 'muted', 'none yet'));
    for (const q of list) {
      const li = el('li');
      const b = el('button', null, q);
      b.type = 'button';
      b.addEventListener('click', () => { setQuery(q); runSearch(); });
      li.appendChild(b);
      ul.appendChild(li);
    }
  }

  // The searches `covet-logs history` recorded on this host (query, time, matches).
  async function loadHostRecent() {
    let body;
    try {
      body = await api(API + '/history' + qs({ limit: 10 }));
    } catch (_) {
      return;
    }
    const ul = $('recent-host');
    clear(ul);
    const list = (body && body.searches) || [];
    if (!list.length) ul.appendChild(el('li', 'muted', 'none recorded'));
    for (const h of list) {
      const li = el('li');
      const b = textEl('button', null, h.query || '(everything)');
      b.type = 'button';
      b.dataset.query = h.query || '';
      b.title = 'Search again';
      b.addEventListener('click', () => { setQuery(h.query || ''); remember(h.query || ''); runSearch(); });
      li.appendChild(b);
      li.appendChild(el('span', 'muted', ' ' + fmtNum(h.matches) + ' matched · ' + fmtTime(h.time)));
      ul.appendChild(li);
    }
    document.body.dataset.hostRecent = String(list.length);
  }

  function setLevel(level) {
    state.level = level;
    for (const o of document.querySelectorAll('.lvl')) o.setAttribute('aria-pressed', String(o.dataset.level === level));
  }

  function setQuery(q) {
    state.q = q;
    $('q').value = q;
  }

  let suggestTimer = null;
  let suggestGen = 0;
  let activeSuggestion = -1;

  function scheduleSuggest() {
    clearTimeout(suggestTimer);
    suggestTimer = setTimeout(fetchSuggestions, 120);
  }

  async function fetchSuggestions() {
    const input = $('q');
    const word = input.value.slice(0, input.selectionStart === null ? undefined : input.selectionStart).match(/\S*$/)[0];
    const gen = ++suggestGen;
    let body;
    try {
      body = await api(API + '/logs/suggest' + (word ? qs({ q: word }) : ''));
    } catch (_) {
      return;
    }
    if (gen !== suggestGen || document.activeElement !== input) return;
    const items = (Array.isArray(body) ? body : body.suggestions || []).map((s) =>
      typeof s === 'string' ? { text: s, kind: '' } : { text: s.text || s.value || s.insert || '', kind: s.kind || s.type || '' });
    showSuggestions(items.filter((s) => s.text).slice(0, 12));
  }

  function showSuggestions(items) {
    const ul = $('suggestions');
    clear(ul);
    activeSuggestion = -1;
    items.forEach((s, i) => {
      const li = el('li');
      li.id = 'sugg-' + i;
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', 'false');
      li.dataset.text = s.text;
      li.appendChild(el('span', null, s.text));
      if (s.kind) li.appendChild(el('span', 'kind', s.kind));
      li.addEventListener('mousedown', (ev) => { ev.preventDefault(); applySuggestion(s.text); });
      ul.appendChild(li);
    });
    ul.hidden = items.length === 0;
    $('q').setAttribute('aria-expanded', String(items.length > 0));
  }

  function hideSuggestions() {
    $('suggestions').hidden = true;
    $('q').setAttribute('aria-expanded', 'false');
    $('q').removeAttribute('aria-activedescendant');
  }

  // A suggestion replaces the word being typed (the last one).
  function applySuggestion(text) {
    const input = $('q');
    const v = input.value;
    const cut = v.search(/\S*$/);
    input.value = v.slice(0, cut) + text + (text.endsWith(':') ? '' : ' ');
    input.focus();
    hideSuggestions();
    if (text.endsWith(':')) scheduleSuggest();
  }

  function moveSuggestion(delta) {
    const items = Array.from($('suggestions').children);
    if (!items.length) return false;
    activeSuggestion = (activeSuggestion + delta + items.length) % items.length;
    items.forEach((li, i) => li.setAttribute('aria-selected', String(i === activeSuggestion)));
    $('q').setAttribute('aria-activedescendant', items[activeSuggestion].id);
    return true;
  }

  // ---------------------------------------------------------------------------------
  // Export: the API's streamed file, downloaded through a blob so the token is sent.
  // ---------------------------------------------------------------------------------

  async function exportLogs() {
    const format = $('export-format').value;
    const p = queryParams();
    p.format = format;
    const url = API + '/logs/export' + qs(p);
    if (!state.tokenRequired) {
      // No token to send: let the browser stream the download straight to disk.
      const a = el('a');
      a.href = url;
      a.download = '';
      document.body.appendChild(a);
      a.click();
      a.remove();
      document.body.dataset.exported = url;
      return;
    }
    try {
      const res = await api(url, { raw: true, headers: { Accept: '*/*' } });
      const blob = await res.blob();
      const a = el('a');
      a.href = URL.createObjectURL(blob);
      a.download = 'covet-logs.' + (format === 'txt' ? 'txt' : format);
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 10000);
      document.body.dataset.exported = url;
    } catch (err) {
      flash($('qa-msg'), 'Export failed: ' + err.message);
    }
  }

  // ---------------------------------------------------------------------------------
  // Wiring.
  // ---------------------------------------------------------------------------------

  function wire() {
    $('search-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      // Suggestions still on their way are for what was typed before the search.
      clearTimeout(suggestTimer);
      suggestGen += 1;
      hideSuggestions();
      state.q = $('q').value.trim();
      remember(state.q);
      runSearch();
    });
    const q = $('q');
    q.addEventListener('input', scheduleSuggest);
    q.addEventListener('focus', scheduleSuggest);
    q.addEventListener('blur', () => setTimeout(hideSuggestions, 150));
    q.addEventListener('keydown', (ev) => {
      if (ev.key === 'ArrowDown' && moveSuggestion(1)) ev.preventDefault();
      else if (ev.key === 'ArrowUp' && moveSuggestion(-1)) ev.preventDefault();
      else if (ev.key === 'Escape') hideSuggestions();
      else if ((ev.key === 'Enter' || ev.key === 'Tab') && activeSuggestion >= 0 && !$('suggestions').hidden) {
        ev.preventDefault();
        applySuggestion($('suggestions').children[activeSuggestion].dataset.text);
      }
    });
    $('opt-regex').addEventListener('change', (ev) => { state.regex = ev.target.checked; runSearch(); });
    $('opt-case').addEventListener('change', (ev) => { state.caseSensitive = ev.target.checked; runSearch(); });
    $('range').addEventListener('change', (ev) => { state.range = ev.target.value; runSearch(); });
    // `Advanced` and `+ Custom filter` both open the filter builder.
    for (const id of ['btn-advanced', 'btn-custom']) {
      $(id).addEventListener('click', () => {
        const adv = $('advanced');
        adv.hidden = !adv.hidden;
        for (const b of ['btn-advanced', 'btn-custom']) $(b).setAttribute('aria-expanded', String(!adv.hidden));
        if (!adv.hidden) $('f-field').focus();
      });
    }
    for (const b of document.querySelectorAll('.lvl')) {
      b.addEventListener('click', () => {
        setLevel(b.dataset.level);
        runSearch();
      });
    }
    $('service').addEventListener('change', (ev) => { state.service = ev.target.value; runSearch(); });
    $('source').addEventListener('change', (ev) => { state.source = ev.target.value; runSearch(); });
    $('filter-form').addEventListener('submit', addFilter);
    $('save-form').addEventListener('submit', saveFilter);
    $('presets').addEventListener('change', loadPreset);
    $('btn-delete-preset').addEventListener('click', deletePreset);

    $('btn-pause').addEventListener('click', (ev) => {
      state.paused = !state.paused;
      ev.target.setAttribute('aria-pressed', String(state.paused));
      ev.target.textContent = state.paused ? 'Resume' : 'Pause';
      if (state.paused) {
        disconnect();
        setLive('wait', 'Paused');
        $('live-refresh').textContent = 'auto-refresh paused';
      } else {
        $('live-refresh').textContent = 'auto-refresh on';
        resume();
      }
    });
    $('btn-clear').addEventListener('click', () => {
      resetRows();
      renderRows();
    });
    $('btn-follow').addEventListener('click', (ev) => {
      state.follow = !state.follow;
      ev.target.setAttribute('aria-pressed', String(state.follow));
      if (state.follow) $('stream-scroll').scrollTop = 0;
    });
    $('stream-scroll').addEventListener('scroll', scheduleRender, { passive: true });
    window.addEventListener('resize', scheduleRender);
    $('btn-export').addEventListener('click', exportLogs);
    $('btn-older').addEventListener('click', loadOlder);

    const withSelected = (fn) => () => { if (state.selected) fn(state.selected); };
    $('qa-related').addEventListener('click', withSelected((e) => openContext(entryId(e), false)));
    $('qa-copy').addEventListener('click', withSelected(copyContext));
    $('qa-alert').addEventListener('click', openAlertDialog);
    $('qa-report').addEventListener('click', reportIssue);
    $('alert-form').addEventListener('submit', saveAlert);
    $('alert-cancel').addEventListener('click', () => $('alert-dlg').close());
    $('qa-share').addEventListener('click', withSelected(sharePermalink));
    $('qa-full').addEventListener('click', withSelected((e) => openContext(entryId(e), true)));

    $('ctx-close').addEventListener('click', () => $('context').close());
    $('context').addEventListener('close', () => {
      if (location.hash.startsWith('#entry=')) history.replaceState(null, '', location.pathname + location.search);
    });
    const reopen = () => { const id = $('context').dataset.id; if (id) openContext(id, $('context').classList.contains('full')); };
    $('ctx-range').addEventListener('change', reopen);
    $('ctx-mode').addEventListener('change', reopen);
    window.addEventListener('hashchange', openFromHash);
    document.addEventListener('keydown', (ev) => {
      const t = ev.target;
      const typing = t instanceof HTMLInputElement || t instanceof HTMLSelectElement || t instanceof HTMLTextAreaElement;
      if (ev.key === '/' && !typing && !ev.ctrlKey && !ev.metaKey && !ev.altKey) {
        ev.preventDefault();
        $('q').focus();
      }
    });
  }

  async function loadHealth() {
    try {
      const h = await api(API + '/health');
      state.tokenRequired = !!(h && h.tokenRequired);
      if (h && typeof h.inputs === 'number') {
        $('inputs').textContent = 'Serving ' + h.inputs + (h.inputs === 1 ? ' input' : ' inputs') + (h.version ? ' · v' + h.version : '');
      }
    } catch (_) {
      // Not essential.
    }
  }

  function start() {
    wire();
    renderRecent();
    setInterval(tickRate, 1000);
    // Auto-refresh: the cards and charts follow the live stream unless it is paused.
    setInterval(() => { if (!state.paused && !document.hidden) loadAnalytics(); }, 30000);
    loadHealth().then(async () => {
      // Health needs no token and says whether one is needed: ask before anything
      // else, so the stream's handshake carries it too.
      if (state.tokenRequired && !token()) await askToken();
      loadFields();
      loadPresets();
      loadHostRecent();
      runSearch();
      openFromHash();
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
