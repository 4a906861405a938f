/* Map picker: opens at the city, the resident drags the pin or uses the phone's position, then posts it back. */
(function () {
  'use strict';
  var params = new URLSearchParams(location.search);
  var token = params.get('t') || '';
  var lang = params.get('lang') === 'en' ? 'en' : 'vi';
  var T = {
    vi: { hint: 'Kéo ghim hoặc chạm vào bản đồ để chọn nơi xảy ra sự việc.', gps: '📍 Vị trí của tôi', send: 'Gửi vị trí này', done: 'Đã gửi vị trí. Bạn quay lại cuộc trò chuyện để tiếp tục nhé.', fail: 'Chưa gửi được vị trí: ', nogps: 'Không lấy được vị trí của điện thoại.' },
    en: { hint: 'Drag the pin or tap the map to mark where the problem is.', gps: '📍 My location', send: 'Send this location', done: 'Location sent. Go back to the chat to continue.', fail: 'Could not send the location: ', nogps: 'Could not get the phone\'s position.' }
  }[lang];
  document.getElementById('hint').textContent = T.hint;
  document.getElementById('gps').textContent = T.gps;
  document.getElementById('send').textContent = T.send;
  fetch('/webview/location/config').then(function (r) { return r.json(); }).then(function (cfg) {
    var map = L.map('map').setView([cfg.center.lat, cfg.center.lng], cfg.zoom);
    L.tileLayer(cfg.tileUrl, { maxZoom: 19, attribution: cfg.attribution }).addTo(map);
    L.polygon(cfg.polygon, { color: '#0068ff', weight: 1, fill: false }).addTo(map);
    var marker = L.marker([cfg.center.lat, cfg.center.lng], { draggable: true }).addTo(map);
    map.on('click', function (e) { marker.setLatLng(e.latlng); });
    document.getElementById('gps').onclick = function () {
      if (!navigator.geolocation) { alert(T.nogps); return; }
      navigator.geolocation.getCurrentPosition(function (p) {
        var ll = [p.coords.latitude, p.coords.longitude];
        marker.setLatLng(ll); map.setView(ll, 17);
      }, function () { alert(T.nogps); }, { enableHighAccuracy: true, timeout: 10000 });
    };
    document.getElementById('send').onclick = function () {
      var ll = marker.getLatLng();
      fetch('/webview/location', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ t: token, lat: ll.lat, lng: ll.lng }) })
        .then(function (r) { return r.json().then(function (b) { return { ok: r.ok, b: b }; }); })
        .then(function (x) {
          if (!x.ok) { alert(T.fail + (x.b && x.b.error || '')); return; }
          var d = document.getElementById('done'); d.textContent = T.done; d.style.display = 'block';
          if (window.parent !== window) window.parent.postMessage({ type: 'phananh:location-sent' }, '*');
        });
    };
  });
})();
