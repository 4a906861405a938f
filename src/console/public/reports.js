/*
 * Report desk pages: maps (the report and its nearby open reports; the list's filter on a clustered
 * map) and canned replies (choosing one fills the reply box, which stays editable). Served from
 * /console/static under the console's CSP (no inline script); works without it: forms stay plain
 * forms and the coordinates stay printed under the map.
 */
(function () {
  'use strict';

  function tileLayer(el) {
    var tiles = el.getAttribute('data-tiles');
    return L.tileLayer(tiles, { maxZoom: 19, attribution: '© OpenStreetMap contributors' });
  }

  function pin(kind) {
    return L.divIcon({ className: '', html: '<span class="report-pin ' + kind + '"></span>', iconSize: [22, 22], iconAnchor: [11, 11] });
  }

  function reportMap(el) {
    var lat = Number(el.getAttribute('data-lat'));
    var lng = Number(el.getAttribute('data-lng'));
    var map = L.map(el, { scrollWheelZoom: false }).setView([lat, lng], 17);
    tileLayer(el).addTo(map);
    L.marker([lat, lng], { icon: pin('here'), title: el.getAttribute('data-code'), alt: el.getAttribute('data-code'), keyboard: false }).addTo(map);
    var nearby = [];
    try { nearby = JSON.parse(el.getAttribute('data-nearby') || '[]'); } catch (e) { nearby = []; }
    nearby.forEach(function (n) {
      L.marker([n.lat, n.lng], { icon: pin(''), title: n.code, alt: n.code, keyboard: false })
        .on('click', function () { location.href = '/console/reports/' + encodeURIComponent(n.code); })
        .addTo(map);
    });
  }

  function clusterMap(el) {
    var status = document.getElementById('map-status');
    var map = L.map(el).setView([Number(el.getAttribute('data-lat')), Number(el.getAttribute('data-lng'))], Number(el.getAttribute('data-zoom')) || 13);
    tileLayer(el).addTo(map);
    var group = typeof L.markerClusterGroup === 'function' ? L.markerClusterGroup({ showCoverageOnHover: false, chunkedLoading: true }) : L.layerGroup();
    map.addLayer(group);
    fetch(el.getAttribute('data-points'), { headers: { accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (res) { if (!res.ok) throw new Error(String(res.status)); return res.json(); })
      .then(function (data) {
        var markers = data.points.map(function (p) {
          var kind = p.overdue ? 'overdue' : (p.status === 'resolved' || p.status === 'closed') ? 'done' : '';
          var m = L.marker([p.lat, p.lng], { icon: pin(kind), title: p.label, alt: p.code, keyboard: false });
          var a = document.createElement('a');
          a.href = '/console/reports/' + encodeURIComponent(p.code);
          a.textContent = p.label;
          m.bindPopup(a);
          return m;
        });
        if (group.addLayers) group.addLayers(markers); else markers.forEach(function (m) { group.addLayer(m); });
        if (markers.length) map.fitBounds(L.latLngBounds(data.points.map(function (p) { return [p.lat, p.lng]; })), { maxZoom: 16, padding: [20, 20] });
        var text = el.getAttribute('data-text-count').replace('{{count}}', String(data.points.length));
        if (data.truncated) text += ' ' + el.getAttribute('data-text-truncated');
        status.textContent = text;
        el.setAttribute('data-loaded', String(data.points.length));
      })
      .catch(function () { status.textContent = el.getAttribute('data-text-failed'); });
  }

  function maps() {
    if (typeof L === 'undefined') return;
    Array.prototype.forEach.call(document.querySelectorAll('[data-map]'), function (el) {
      if (el.getAttribute('data-map') === 'report') reportMap(el);
      else if (el.getAttribute('data-map') === 'cluster') clusterMap(el);
    });
  }

  function canned() {
    Array.prototype.forEach.call(document.querySelectorAll('select[data-canned-for]'), function (sel) {
      sel.addEventListener('change', function () {
        var target = document.getElementById(sel.getAttribute('data-canned-for'));
        var opt = sel.options[sel.selectedIndex];
        var text = opt && opt.getAttribute('data-text');
        if (target && text) { target.value = text; target.focus(); }
      });
    });
  }

  function focusError() {
    var err = document.getElementById('action-error');
    if (err) err.focus();
  }

  document.addEventListener('DOMContentLoaded', function () { maps(); canned(); focusError(); });
}());
