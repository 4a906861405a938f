/*
 * phananh-bot simulator page. Plays one resident on Messenger or Zalo: every action is POSTed to
 * /simulator/api/send, which signs a real webhook and posts it to the app; the bot's replies are
 * polled from /simulator/api/transcript (what the fake Graph / Zalo API received).
 * Vanilla JS, no build step, no external resources.
 */
(function () {
  'use strict';

  var POLL_MS = 700;
  var $ = function (id) { return document.getElementById(id); };

  var state = {
    channels: ['messenger'],
    center: { lat: 16.4637, lng: 107.5909 },
    channel: 'messenger',
    userId: '',
    convs: {},   // "channel:userId" → { user: [], bot: {}, since: 0 }
    calls: {},   // channel → { rows: {key: li}, inbound: [] }
    forms: {},   // message id → its request_user_info form (kept across renders so typing survives polls)
    polling: false,
    pollFailed: false,
    tick: 0,
  };

  // ---- helpers ---------------------------------------------------------------------------------

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === undefined || v === null || v === false) return;
        if (k === 'text') e.textContent = v;
        else if (k === 'class') e.className = v;
        else if (k.slice(0, 2) === 'on') e.addEventListener(k.slice(2), v);
        else e.setAttribute(k, v === true ? '' : v);
      });
    }
    (children || []).forEach(function (c) { if (c) e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return e;
  }

  function randomId() {
    var b = new Uint8Array(5);
    crypto.getRandomValues(b);
    return 'sim-' + Array.prototype.map.call(b, function (x) { return ('0' + x.toString(16)).slice(-2); }).join('');
  }

  function store(key, value) {
    try { if (value === undefined) return localStorage.getItem(key); localStorage.setItem(key, value); } catch (e) { /* private mode */ }
    return null;
  }

  function conv() {
    var key = state.channel + ':' + state.userId;
    if (!state.convs[key]) state.convs[key] = { user: [], bot: {}, since: 0 };
    return state.convs[key];
  }

  function callsOf(channel) {
    if (!state.calls[channel]) state.calls[channel] = { rows: {}, inbound: [] };
    return state.calls[channel];
  }

  function setStatus(text, isError) {
    var s = $('status');
    s.textContent = text || '';
    s.className = isError ? 'err' : '';
  }

  function time(ms) {
    var d = new Date(ms);
    return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  }

  async function api(method, url, body) {
    var res = await fetch(url, {
      method: method,
      headers: body ? { 'content-type': 'application/json' } : undefined,
      body: body ? JSON.stringify(body) : undefined,
    });
    var json = null;
    try { json = await res.json(); } catch (e) { /* not JSON */ }
    if (!res.ok) throw new Error((json && json.error) || ('HTTP ' + res.status));
    return json;
  }

  // ---- sending -----------------------------------------------------------------------------------

  /** Shows the resident's bubble at once, then posts the event; the bubble's footnote shows the webhook status. */
  async function send(event, bubble) {
    var c = conv();
    var entry = { id: 'u' + Date.now() + Math.random(), at: Date.now(), text: bubble.text || '', image: bubble.image, note: 'sending…', system: !!bubble.system };
    c.user.push(entry);
    render(true);
    var channel = state.channel;
    var body = Object.assign({ channel: channel, userId: state.userId }, event);
    try {
      var out = await api('POST', '/simulator/api/send', body);
      entry.note = 'webhook ' + out.status + (out.status >= 400 ? ' — ' + (out.answer || 'refused') : '');
      entry.error = out.status >= 400;
      addInbound(channel, out, entry.at);
      setStatus('');
    } catch (err) {
      entry.note = 'not sent: ' + err.message;
      entry.error = true;
      setStatus(err.message, true);
    }
    render(false);
    poll();
  }

  function sendChoice(choice) {
    if (choice.kind === 'quick_reply') return send({ type: 'quick_reply', payload: choice.payload, text: choice.title }, { text: choice.title });
    if (choice.kind === 'postback') return send({ type: 'postback', payload: choice.payload, text: choice.title }, { text: choice.title });
    // Zalo oa.query.*: the app sends the payload as the resident's text.
    return send({ type: 'text', text: choice.payload }, { text: choice.payload });
  }

  function sendText() {
    var input = $('text');
    var text = input.value.trim();
    if (!text) return;
    input.value = '';
    send({ type: 'text', text: text }, { text: text });
  }

  function sendPhoto(file) {
    if (!file) return;
    var reader = new FileReader();
    reader.onload = function () {
      var dataUrl = String(reader.result);
      var b64 = dataUrl.slice(dataUrl.indexOf(',') + 1);
      send({ type: 'image', imageBase64: b64, contentType: file.type || 'image/jpeg' }, { image: dataUrl });
    };
    reader.onerror = function () { setStatus('Could not read ' + file.name, true); };
    reader.readAsDataURL(file);
  }

  function sendPin() {
    var def = state.center.lat + ',' + state.center.lng;
    var answer = window.prompt('Location pin: latitude,longitude', def);
    if (answer === null) return;
    var m = /^\s*(-?\d+(?:\.\d+)?)\s*[,; ]\s*(-?\d+(?:\.\d+)?)\s*$/.exec(answer);
    if (!m) { setStatus('Write the pin as latitude,longitude — e.g. ' + def, true); return; }
    var lat = Number(m[1]);
    var lng = Number(m[2]);
    send({ type: 'location', lat: lat, lng: lng }, { text: '📍 ' + lat + ', ' + lng });
  }

  // ---- polling -----------------------------------------------------------------------------------

  async function poll() {
    if (state.channel === 'posts') return pollPosts();
    if (state.polling || !state.userId) return;
    state.polling = true;
    var c = conv();
    var channel = state.channel;
    try {
      var url = '/simulator/api/transcript?channel=' + channel + '&userId=' + encodeURIComponent(state.userId) + '&since=' + c.since;
      var items = await api('GET', url);
      var fresh = false;
      items.forEach(function (it) {
        var at = Date.parse(it.at);
        if (at > c.since) c.since = at;
        if (c.bot[it.id]) return;
        it.atMs = at;
        c.bot[it.id] = it;
        fresh = true;
      });
      if (fresh && c === conv()) render(true);
      if (state.tick++ % 2 === 0 || fresh) await pollCalls(channel);
      if (state.pollFailed) { state.pollFailed = false; setStatus(''); }
    } catch (err) {
      state.pollFailed = true;
      setStatus('Polling failed (is the app still running?): ' + err.message, true);
    } finally {
      state.polling = false;
    }
  }

  async function pollCalls(channel) {
    var calls = await api('GET', '/simulator/api/calls?channel=' + channel + '&limit=300');
    if (channel !== state.channel) return;
    var s = callsOf(channel);
    calls.forEach(function (call) {
      var key = 'out' + call.seq;
      var row = s.rows[key];
      if (row) {
        if (row._status !== call.status) updateStatus(row, call.status, call.response);
        return;
      }
      row = callRow(call, false);
      s.rows[key] = row;
      insertCall(row);
    });
    $('calls-count').textContent = String(calls.length);
    filterCalls();
  }

  // ---- chat rendering ----------------------------------------------------------------------------

  function render(scroll) {
    var box = $('messages');
    var chat = $('chat');
    var nearBottom = chat.scrollHeight - chat.scrollTop - chat.clientHeight < 80;
    var c = conv();
    var entries = c.user.map(function (u) { return { at: u.at, user: u }; });
    Object.keys(c.bot).forEach(function (id) { entries.push({ at: c.bot[id].atMs, bot: c.bot[id] }); });
    entries.sort(function (a, b) { return a.at - b.at; });

    box.textContent = '';
    if (entries.length === 0) {
      box.appendChild(el('div', { class: 'empty' }, [
        'You are resident ', el('code', { text: state.userId }), ' on ' + (state.channel === 'zalo' ? 'Zalo' : 'Messenger') + '.',
        el('br'), 'Tap “' + $('follow').textContent + '”, or say hello, send a 📷 photo or a 📍 pin.',
      ]));
    }
    entries.forEach(function (e, i) {
      var last = i === entries.length - 1;
      box.appendChild(e.user ? userMsg(e.user) : botMsg(e.bot, last));
    });
    if (scroll || nearBottom) chat.scrollTop = chat.scrollHeight;
  }

  function userMsg(u) {
    var wrap = el('div', { class: 'msg user' });
    if (u.image) wrap.appendChild(el('img', { class: 'photo', src: u.image, alt: 'photo sent' }));
    if (u.text) wrap.appendChild(el('div', { class: 'bubble' + (u.system ? ' system' : ''), text: u.text }));
    wrap.appendChild(el('div', { class: 'meta' + (u.error ? ' err' : ''), text: time(u.at) + (u.note ? ' · ' + u.note : '') }));
    return wrap;
  }

  function botMsg(m, last) {
    var wrap = el('div', { class: 'msg bot' });
    if (m.image) wrap.appendChild(el('img', { class: 'photo', src: m.image, alt: 'image from the bot' }));
    if (m.text) wrap.appendChild(el('div', { class: 'bubble', text: m.text }));

    if (m.elements && m.elements.length) {
      var card = el('div', { class: 'card' });
      m.elements.forEach(function (e) {
        var inner = [
          e.imageUrl ? el('img', { src: e.imageUrl, alt: '' }) : null,
          el('div', {}, [el('div', { class: 't', text: e.title }), e.subtitle ? el('div', { class: 's', text: e.subtitle }) : null]),
        ];
        var row;
        if (e.action) {
          row = el('button', { type: 'button', class: 'el', onclick: function () {
            if (e.action.kind === 'link') openLink(e.action.url, e.title);
            else sendChoice({ kind: 'text', title: e.title, payload: e.action.payload });
          } }, inner);
        } else {
          row = el('div', { class: 'el' }, inner);
        }
        card.appendChild(row);
      });
      wrap.appendChild(card);
    }

    var persistent = (m.choices || []).filter(function (c) { return c.kind !== 'quick_reply'; });
    if (persistent.length || (m.links && m.links.length) || (m.calls && m.calls.length)) {
      var btns = el('div', { class: 'buttons' });
      (m.links || []).forEach(function (l) {
        btns.appendChild(el('button', { type: 'button', title: l.url, text: '🔗 ' + l.title, onclick: function () { openLink(l.url, l.title); } }));
      });
      persistent.forEach(function (c) {
        btns.appendChild(el('button', { type: 'button', title: 'payload: ' + c.payload, text: c.title, onclick: function () { sendChoice(c); } }));
      });
      (m.calls || []).forEach(function (c) {
        btns.appendChild(el('a', { class: 'call', href: 'tel:' + c.phone, title: 'Call ' + c.phone, text: '📞 ' + c.title + ' · ' + c.phone }));
      });
      wrap.appendChild(btns);
    }

    if (m.form && m.form.kind === 'user_info') {
      if (!state.forms[m.id]) state.forms[m.id] = infoForm(m);
      wrap.appendChild(state.forms[m.id]);
    }

    wrap.appendChild(el('div', { class: 'meta', text: time(m.atMs) }));

    // Quick replies disappear once anything else is said, as on Messenger.
    var quick = (m.choices || []).filter(function (c) { return c.kind === 'quick_reply'; });
    if (last && quick.length) {
      var chips = el('div', { class: 'chips' });
      quick.forEach(function (c) {
        chips.appendChild(el('button', { type: 'button', title: 'payload: ' + c.payload, text: c.title, onclick: function () { sendChoice(c); } }));
      });
      wrap.appendChild(chips);
    }
    return wrap;
  }

  /** Zalo request_user_info: what the resident would fill in on their phone. */
  function infoForm(m) {
    var f = el('form', { class: 'info' }, [
      el('input', { name: 'name', placeholder: 'Name', value: 'Nguyễn Văn An' }),
      el('input', { name: 'phone', placeholder: 'Phone', value: '0905123456', inputmode: 'tel' }),
      el('input', { name: 'address', placeholder: 'Address', value: '12 Lê Lợi' }),
      el('input', { name: 'ward', placeholder: 'Ward', value: 'Phường Phú Hội' }),
      el('input', { name: 'city', placeholder: 'City', value: 'Huế' }),
      el('button', { type: 'submit', text: 'Share my info' }),
    ]);
    f.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var info = {};
      ['name', 'phone', 'address', 'ward', 'city'].forEach(function (k) { var v = f.elements[k].value.trim(); if (v) info[k] = v; });
      send({ type: 'submit_info', info: info }, { text: '🪪 ' + [info.name, info.phone, info.address].filter(Boolean).join(' · ') });
      Array.prototype.forEach.call(f.elements, function (x) { x.disabled = true; });
    });
    f.title = m.form.title;
    return f;
  }

  // ---- web view overlay --------------------------------------------------------------------------

  function openLink(url, title) {
    var u;
    try { u = new URL(url, location.href); } catch (e) { window.open(url, '_blank', 'noopener'); return; }
    // The bot builds links from PUBLIC_URL; our own pages are served here whatever host that names.
    var ours = u.pathname.indexOf('/webview/') === 0 || u.origin === location.origin;
    if (!ours) { window.open(u.href, '_blank', 'noopener'); return; }
    var local = location.origin + u.pathname + u.search + u.hash;
    $('overlay-title').textContent = title || u.pathname;
    $('overlay-tab').href = local;
    $('overlay-frame').src = local;
    $('overlay').hidden = false;
  }

  function closeOverlay() {
    $('overlay').hidden = true;
    $('overlay-frame').src = 'about:blank';
  }

  window.addEventListener('message', function (ev) {
    if (ev.data && ev.data.type === 'phananh:location-sent') {
      closeOverlay();
      conv().user.push({ id: 'w' + Date.now(), at: Date.now(), text: '📍 location sent from the map', system: true, note: 'web view' });
      render(true);
      poll();
    }
  });

  // ---- calls panel -------------------------------------------------------------------------------

  function pretty(v) {
    if (v === undefined) return '';
    try { return JSON.stringify(v, null, 2); } catch (e) { return String(v); }
  }

  function callRow(call, inbound) {
    var at = Date.parse(call.at);
    var query = call.query && Object.keys(call.query).length ? '?' + new URLSearchParams(call.query).toString() : '';
    var st = el('span', { class: 'st' });
    var body = el('pre', { text: (inbound ? 'event ' : 'body ') + pretty(call.body) });
    var resp = el('pre', { text: '' });
    var li = el('li', { class: inbound ? 'inbound' : 'outbound', 'data-at': String(at) }, [
      el('details', {}, [
        el('summary', {}, [
          el('span', { class: 'time', text: time(at) }),
          el('span', { class: 'method', text: (inbound ? '⇢ ' : '') + call.method }),
          el('span', { class: 'path', text: call.path + query }),
          st,
        ]),
        body,
        resp,
      ]),
    ]);
    li._st = st;
    li._resp = resp;
    li._search = (JSON.stringify(call.body || '') + query).toLowerCase();
    updateStatus(li, call.status, call.response);
    return li;
  }

  function updateStatus(li, status, response) {
    li._status = status;
    if (status === undefined) { li._st.textContent = ''; }
    else if (status === 0) { li._st.textContent = '…'; li._st.className = 'st'; }
    else { li._st.textContent = String(status); li._st.className = 'st ' + (status < 400 ? 'ok' : 'bad'); }
    li._resp.textContent = response === undefined ? '' : 'response ' + pretty(response);
    li._resp.hidden = response === undefined;
  }

  function insertCall(li) {
    var list = $('calls');
    var at = Number(li.getAttribute('data-at'));
    var ref = list.lastElementChild;
    while (ref && Number(ref.getAttribute('data-at')) > at) ref = ref.previousElementSibling;
    list.insertBefore(li, ref ? ref.nextElementSibling : list.firstElementChild);
  }

  function addInbound(channel, out, at) {
    var call = { at: new Date(at).toISOString(), method: 'POST', path: '/webhooks/' + channel, status: out.status, body: out.event, response: out.answer };
    var row = callRow(call, true);
    callsOf(channel).inbound.push(row);
    if (channel === state.channel) { insertCall(row); filterCalls(); }
  }

  function filterCalls() {
    var mine = $('calls-mine').checked;
    var id = state.userId.toLowerCase();
    Array.prototype.forEach.call($('calls').children, function (li) {
      li.hidden = mine && li._search.indexOf(id) < 0;
    });
  }

  function rebuildCalls() {
    var list = $('calls');
    list.textContent = '';
    var s = callsOf(state.channel);
    Object.keys(s.rows).forEach(function (k) { insertCall(s.rows[k]); });
    s.inbound.forEach(insertCall);
    $('calls-count').textContent = String(Object.keys(s.rows).length);
    filterCalls();
  }

  // ---- channel and resident ----------------------------------------------------------------------

  // ---- groups & page: what broadcasts published ---------------------------------------------------

  async function pollPosts() {
    try {
      var out = await api('GET', '/simulator/api/posts');
      if (state.channel !== 'posts') return;
      renderPosts(out);
      setStatus('');
    } catch (err) {
      setStatus('Could not load the posts: ' + err.message, true);
    }
  }

  function renderPosts(out) {
    var key = JSON.stringify(out);
    if (key === state.postsKey) return;
    state.postsKey = key;
    var box = $('messages');
    box.textContent = '';
    var groups = out.groups.map(function (g) { return g.name + ' (' + g.members + (g.status === 'enabled' ? '' : ', ' + g.status) + ')'; });
    box.appendChild(el('div', { class: 'bubble system' }, [
      'Posts the city published, as members see them. Zalo groups: ' + (groups.join(', ') || 'none') +
      (out.page ? '; and the Facebook Page.' : '.') + ' Broadcasts are composed in the staff console.',
    ]));
    if (out.posts.length === 0) box.appendChild(el('div', { class: 'bubble system', text: 'Nothing published yet.' }));
    out.posts.forEach(function (p) {
      var imgs = el('div', { class: 'post-images' }, p.images.map(function (src) { return el('img', { src: src, alt: 'Before/after card', loading: 'lazy' }); }));
      box.appendChild(el('article', { class: 'post ' + p.where }, [
        el('header', {}, [
          el('strong', { text: p.target }),
          el('span', { text: p.where === 'zalo-group' ? ' · Zalo group' : ' · Facebook' }),
          el('span', { text: ' · ' + time(Date.parse(p.at)) }),
        ]),
        p.text ? el('p', { text: p.text }) : null,
        p.images.length ? imgs : null,
      ]));
    });
  }

  function selectChannel(channel) {
    if (channel === 'posts' ? state.channels.length === 0 : state.channels.indexOf(channel) < 0) return;
    state.channel = channel;
    store('sim.channel', channel);
    document.body.setAttribute('data-channel', channel);
    Array.prototype.forEach.call(document.querySelectorAll('#channels button'), function (b) {
      b.setAttribute('aria-selected', String(b.getAttribute('data-channel') === channel));
    });
    if (channel === 'posts') {
      state.postsKey = '';
      $('messages').textContent = '';
      pollPosts();
      return;
    }
    $('follow').textContent = channel === 'zalo' ? 'Follow OA' : 'Get Started';
    $('text').placeholder = channel === 'zalo' ? 'Nhập tin nhắn (Zalo)…' : 'Aa — message the Page…';
    selectUser(store('sim.user.' + channel) || randomId());
    rebuildCalls();
  }

  function selectUser(id) {
    id = (id || '').trim() || randomId();
    state.userId = id;
    $('user').value = id;
    store('sim.user.' + state.channel, id);
    render(true);
    filterCalls();
    poll();
  }

  async function init() {
    try {
      var cfg = await api('GET', '/simulator/api/config');
      state.channels = cfg.channels;
      state.center = cfg.center;
      if (cfg.devAdmin) {
        document.getElementById('admin-email').textContent = cfg.devAdmin.email;
        document.getElementById('admin-password').textContent = cfg.devAdmin.password;
        document.getElementById('console-login').hidden = false;
      }
    } catch (err) {
      setStatus('Could not load the simulator config: ' + err.message, true);
    }
    Array.prototype.forEach.call(document.querySelectorAll('#channels button'), function (b) {
      var ch = b.getAttribute('data-channel');
      if (ch !== 'posts' && state.channels.indexOf(ch) < 0) { b.disabled = true; b.title = ch + ' is not simulated in this run'; }
      b.addEventListener('click', function () { selectChannel(ch); });
    });
    $('user').addEventListener('change', function () { selectUser($('user').value); });
    $('new-user').addEventListener('click', function () { selectUser(randomId()); });
    $('follow').addEventListener('click', function () {
      send({ type: 'follow' }, { text: state.channel === 'zalo' ? '➕ followed the OA' : 'Get Started', system: state.channel === 'zalo' });
    });
    $('composer').addEventListener('submit', function (ev) { ev.preventDefault(); sendText(); });
    $('photo').addEventListener('click', function () { $('file').click(); });
    $('file').addEventListener('change', function () { sendPhoto($('file').files[0]); $('file').value = ''; });
    $('pin').addEventListener('click', sendPin);
    $('sticker').addEventListener('click', function () { send({ type: 'sticker' }, { text: '👍 (sticker)' }); });
    $('calls-mine').addEventListener('change', filterCalls);
    $('overlay-close').addEventListener('click', closeOverlay);
    $('overlay').addEventListener('click', function (ev) { if (ev.target === $('overlay')) closeOverlay(); });
    document.addEventListener('keydown', function (ev) { if (ev.key === 'Escape' && !$('overlay').hidden) closeOverlay(); });

    if (window.matchMedia('(min-width: 1100px)').matches) $('calls-panel').open = true;
    var saved = store('sim.channel');
    selectChannel(state.channels.indexOf(saved) >= 0 || saved === 'posts' ? saved : state.channels[0]);
    setInterval(poll, POLL_MS);
    $('text').focus();
  }

  init();
})();
