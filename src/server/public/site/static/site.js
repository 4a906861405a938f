/* Public page: the map, loaded only when it scrolls into view (Leaflet and markercluster come from
   this server, gzipped). Everything else works without this script. */
(function () {
  'use strict';
  var el = document.getElementById('map');
  if (!el) return;

  function load(tag, attrs) {
    return new Promise(function (resolve, reject) {
      var n = document.createElement(tag);
      for (var k in attrs) n.setAttribute(k, attrs[k]);
      n.onload = resolve;
      n.onerror = reject;
      document.head.appendChild(n);
    });
  }

  function failed() {
    el.innerHTML = '';
    var p = document.createElement('p');
    p.className = 'map-note';
    p.textContent = el.getAttribute('data-failed');
    el.appendChild(p);
  }

  function popup(p) {
    var box = document.createElement('div');
    var a = document.createElement('a');
    a.href = p.href;
    a.textContent = p.category;
    box.appendChild(a);
    var s = document.createElement('div');
    s.textContent = p.code + ' · ' + p.status;
    box.appendChild(s);
    return box;
  }

  function draw() {
    var L = window.L;
    el.innerHTML = '';
    var map = L.map(el, { scrollWheelZoom: false }).setView([Number(el.dataset.lat), Number(el.dataset.lng)], Number(el.dataset.zoom));
    L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: '&copy; OpenStreetMap contributors' }).addTo(map);
    if (el.dataset.pointLat) {
      L.marker([Number(el.dataset.pointLat), Number(el.dataset.pointLng)], { keyboard: false }).addTo(map);
      return Promise.resolve();
    }
    return fetch(el.dataset.points, { headers: { accept: 'application/json' } })
      .then(function (r) { if (!r.ok) throw new Error('map points ' + r.status); return r.json(); })
      .then(function (data) {
        var group = L.markerClusterGroup ? L.markerClusterGroup() : L.layerGroup();
        data.points.forEach(function (p) {
          group.addLayer(L.marker([p.lat, p.lng], { title: p.category + ' · ' + p.code }).bindPopup(popup(p)));
        });
        map.addLayer(group);
      });
  }

  var started = false;
  function start() {
    if (started) return;
    started = true;
    var base = '/site/vendor/';
    Promise.all([
      load('link', { rel: 'stylesheet', href: base + 'leaflet/leaflet.css' }),
      el.dataset.points ? load('link', { rel: 'stylesheet', href: base + 'markercluster/MarkerCluster.css' }) : null,
      el.dataset.points ? load('link', { rel: 'stylesheet', href: base + 'markercluster/MarkerCluster.Default.css' }) : null,
      load('script', { src: base + 'leaflet/leaflet.js' }),
    ])
      .then(function () { return el.dataset.points ? load('script', { src: base + 'markercluster/leaflet.markercluster.js' }) : null; })
      .then(draw)
      .catch(failed);
  }

  if ('IntersectionObserver' in window) {
    var io = new IntersectionObserver(function (entries) {
      if (entries.some(function (e) { return e.isIntersecting; })) { io.disconnect(); start(); }
    }, { rootMargin: '200px' });
    io.observe(el);
  } else {
    start();
  }
})();
