/*
 * Map picker: opens at the city; the resident searches an address, drags the pin, taps the map or
 * uses the phone's position, then posts the point back. It works without map tiles: when tiles
 * cannot load (offline, blocked) it says so and offers the address search and the typed-address
 * route in the chat instead of a grey box. Without Leaflet at all, search and GPS still work.
 */
(function () {
  'use strict';
  var params = new URLSearchParams(location.search);
  var token = params.get('t') || '';
  var lang = params.get('lang') === 'en' ? 'en' : 'vi';
  var T = {
    vi: {
      hint: 'Tìm địa chỉ, kéo ghim hoặc chạm vào bản đồ để chọn nơi xảy ra sự việc.',
      hintNoMap: 'Tìm địa chỉ ở ô phía trên, hoặc dùng vị trí của điện thoại.',
      gps: '📍 Vị trí của tôi', send: 'Gửi vị trí này', go: 'Tìm', placeholder: 'Số nhà, tên đường, địa danh…',
      done: 'Đã gửi vị trí. Bạn quay lại cuộc trò chuyện để tiếp tục nhé.', fail: 'Chưa gửi được vị trí: ',
      nogps: 'Không lấy được vị trí của điện thoại.', searching: 'Đang tìm…', notFound: 'Không tìm thấy địa chỉ này. Bạn ghi rõ hơn (số nhà, tên đường, phường).',
      outside: 'Địa chỉ này nằm ngoài địa bàn tiếp nhận.', searchFail: 'Chưa tìm được, bạn thử lại sau giây lát.',
      offline: 'Không tải được bản đồ (mạng chậm hoặc bị chặn). Bạn gõ địa chỉ vào ô tìm kiếm phía trên rồi bấm "Gửi vị trí này", hoặc đóng trang này và gõ địa chỉ ngay trong cuộc trò chuyện (số nhà, tên đường, phường).',
      offlineNoSearch: 'Không tải được bản đồ (mạng chậm hoặc bị chặn). Bạn dùng "Vị trí của tôi", hoặc đóng trang này và gõ địa chỉ ngay trong cuộc trò chuyện (số nhà, tên đường, phường).',
      gpsFound: 'Vị trí của điện thoại', picked: 'Điểm bạn chọn trên bản đồ'
    },
    en: {
      hint: 'Search an address, drag the pin or tap the map to mark where the problem is.',
      hintNoMap: 'Search the address above, or use the phone\'s position.',
      gps: '📍 My location', send: 'Send this location', go: 'Search', placeholder: 'House number, street, landmark…',
      done: 'Location sent. Go back to the chat to continue.', fail: 'Could not send the location: ',
      nogps: 'Could not get the phone\'s position.', searching: 'Searching…', notFound: 'Address not found. Please add details (house number, street, ward).',
      outside: 'This address is outside the area we serve.', searchFail: 'Search failed; please try again in a moment.',
      offline: 'The map could not be loaded (slow or blocked connection). Type the address in the search box above and tap "Send this location", or close this page and type the address in the chat (house number, street, ward).',
      offlineNoSearch: 'The map could not be loaded (slow or blocked connection). Use "My location", or close this page and type the address in the chat (house number, street, ward).',
      gpsFound: 'Your phone\'s position', picked: 'The point you picked on the map'
    }
  }[lang];
  /** How long tiles may take before the page says the map cannot load. */
  var TILE_PATIENCE_MS = 6000;

  function $(id) { return document.getElementById(id); }
  document.documentElement.lang = lang;
  $('hint').textContent = T.hint;
  $('gps').textContent = T.gps;
  $('send').textContent = T.send;
  $('go').textContent = T.go;
  $('q').placeholder = T.placeholder;

  var point = null; // { lat, lng } chosen by the resident; nothing is sent before they choose
  var map = null;
  var marker = null;
  var searchable = false;

  function choose(lat, lng, label, bad) {
    point = { lat: lat, lng: lng };
    $('send').disabled = !!bad;
    var f = $('found');
    f.textContent = label || '';
    f.className = bad ? 'bad' : '';
    if (marker) marker.setLatLng([lat, lng]);
    if (map) map.setView([lat, lng], Math.max(map.getZoom(), 17));
  }

  function say(text, bad) {
    var f = $('found');
    f.textContent = text;
    f.className = bad ? 'bad' : '';
  }

  function showOffline() {
    if (document.body.className.indexOf('offline') >= 0) return;
    document.body.className += ' offline';
    $('offline').textContent = searchable ? T.offline : T.offlineNoSearch;
    $('hint').textContent = T.hintNoMap;
    if (searchable) $('q').focus();
  }

  function startMap(cfg) {
    if (typeof L === 'undefined') { showOffline(); return; }
    map = L.map('map').setView([cfg.center.lat, cfg.center.lng], cfg.zoom);
    var loaded = 0;
    var failed = 0;
    var layer = L.tileLayer(cfg.tileUrl, { maxZoom: 19, attribution: cfg.attribution });
    layer.on('tileload', function () {
      loaded++;
      // Tiles arrived after all (a slow network): the map is usable again.
      if (document.body.className.indexOf('offline') >= 0) { document.body.className = document.body.className.replace(' offline', ''); $('hint').textContent = T.hint; }
    });
    layer.on('tileerror', function () { failed++; if (loaded === 0 && failed >= 2) showOffline(); });
    layer.addTo(map);
    setTimeout(function () { if (loaded === 0) showOffline(); }, TILE_PATIENCE_MS);
    if (navigator.onLine === false) showOffline();
    L.polygon(cfg.polygon, { color: '#0068ff', weight: 1, fill: false }).addTo(map);
    marker = L.marker([cfg.center.lat, cfg.center.lng], { draggable: true }).addTo(map);
    marker.on('dragend', function () { var ll = marker.getLatLng(); choose(ll.lat, ll.lng, T.picked); });
    map.on('click', function (e) { choose(e.latlng.lat, e.latlng.lng, T.picked); });
  }

  $('search').onsubmit = function (e) {
    e.preventDefault();
    var q = $('q').value.trim();
    if (q.length < 2) return;
    say(T.searching);
    fetch('/webview/location/search?t=' + encodeURIComponent(token) + '&q=' + encodeURIComponent(q))
      .then(function (r) { return r.json().then(function (b) { return { ok: r.ok, b: b }; }); })
      .then(function (x) {
        if (!x.ok) { say((x.b && x.b.error) || T.searchFail, true); return; }
        if (!x.b.found) { say(T.notFound, true); return; }
        if (!x.b.inside) { choose(x.b.lat, x.b.lng, T.outside + ' (' + x.b.address + ')', true); return; }
        choose(x.b.lat, x.b.lng, x.b.address);
      })
      .catch(function () { say(T.searchFail, true); });
  };

  $('gps').onclick = function () {
    if (!navigator.geolocation) { say(T.nogps, true); return; }
    navigator.geolocation.getCurrentPosition(function (p) {
      choose(p.coords.latitude, p.coords.longitude, T.gpsFound);
    }, function () { say(T.nogps, true); }, { enableHighAccuracy: true, timeout: 10000 });
  };

  $('send').onclick = function () {
    if (!point) return;
    $('send').disabled = true;
    fetch('/webview/location', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ t: token, lat: point.lat, lng: point.lng }) })
      .then(function (r) { return r.json().then(function (b) { return { ok: r.ok, b: b }; }); })
      .then(function (x) {
        $('send').disabled = false;
        if (!x.ok) { say(T.fail + ((x.b && x.b.error) || ''), true); return; }
        var d = $('done'); d.textContent = T.done; d.style.display = 'block';
        if (window.parent !== window) window.parent.postMessage({ type: 'phananh:location-sent' }, '*');
      })
      .catch(function () { $('send').disabled = false; say(T.fail, true); });
  };

  fetch('/webview/location/config').then(function (r) { return r.json(); }).then(function (cfg) {
    searchable = !!cfg.search;
    $('search').hidden = !searchable;
    if (!searchable) document.body.className += ' nosearch';
    startMap(cfg);
  }).catch(showOffline);
})();
