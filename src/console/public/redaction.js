/*
 * The photo redaction editor (/console/reports/:code/photos/:key/redact). Plain JavaScript, no
 * framework, loaded from /console/static (the console's CSP allows no inline script).
 *
 * Boxes are kept in pixels of the stored photo (data-width × data-height) and drawn over the photo
 * in percentages, so the editor works at any screen size. Pointer events cover the mouse, pens and
 * fingers: drag on the photo to draw, drag a box to move it, drag its corner to resize it. Keyboard:
 * each box is a button (arrows move, Shift+arrows resize, Delete removes). "Preview" pixelates the
 * boxes in a canvas the way the server will (same margin and block size, see
 * src/domain/photos/redaction.ts); the public copy itself is always made by the server on save.
 */
(function () {
  'use strict';

  var stage = document.getElementById('redact-stage');
  if (!stage) return;
  var W = Number(stage.dataset.width);
  var H = Number(stage.dataset.height);
  var labels = JSON.parse(stage.dataset.labels || '{}');
  var rules = JSON.parse(stage.dataset.rules || '{}');
  var layer = document.getElementById('redact-layer');
  var photo = document.getElementById('redact-photo');
  var canvas = document.getElementById('redact-preview-canvas');
  var list = document.getElementById('redact-list');
  var status = document.getElementById('redact-status');
  var hidden = document.getElementById('redact-boxes');
  var form = document.getElementById('redact-save');
  var addButton = document.getElementById('redact-add');
  var removeButton = document.getElementById('redact-remove');
  var previewButton = document.getElementById('redact-preview');

  var MIN = rules.minSide || 4;
  var MAX = rules.maxBoxes || 50;

  function readBoxes(raw) {
    var parsed;
    try {
      parsed = JSON.parse(raw || '[]');
    } catch (e) {
      return [];
    }
    if (!Array.isArray(parsed)) return [];
    return parsed
      .filter(function (b) {
        return b && typeof b === 'object' && isFinite(b.x) && isFinite(b.y) && isFinite(b.w) && isFinite(b.h);
      })
      .slice(0, MAX)
      .map(function (b) {
        return clamp({ x: +b.x, y: +b.y, w: +b.w, h: +b.h, auto: b.auto === true, score: typeof b.score === 'number' ? b.score : null });
      });
  }

  var boxes = readBoxes(stage.dataset.boxes);
  var selected = -1;
  var dirty = false;
  var previewing = false;
  var drag = null; // { mode: 'draw' | 'move' | 'resize', index, start: {x, y}, origin: box }

  function fmt(template, vars) {
    return String(template).replace(/\{(\w+)\}/g, function (m, k) {
      return Object.prototype.hasOwnProperty.call(vars, k) ? String(vars[k]) : m;
    });
  }

  /** Inside the photo, whole pixels, sides of at least MIN. */
  function clamp(b) {
    var w = Math.max(MIN, Math.min(W, Math.round(b.w)));
    var h = Math.max(MIN, Math.min(H, Math.round(b.h)));
    var x = Math.max(0, Math.min(W - w, Math.round(b.x)));
    var y = Math.max(0, Math.min(H - h, Math.round(b.y)));
    return { x: x, y: y, w: w, h: h, auto: b.auto, score: b.score };
  }

  function labelOf(b, i) {
    var name = b.auto && b.score !== null ? fmt(labels.autoBox, { n: i + 1, score: Math.round(b.score * 100) }) : fmt(labels.box, { n: i + 1 });
    return name + ' · ' + fmt(labels.size, { x: b.x, y: b.y, w: b.w, h: b.h });
  }

  function pct(v, of) {
    return (v / of) * 100 + '%';
  }

  function render(focusSelected) {
    layer.textContent = '';
    list.textContent = '';
    boxes.forEach(function (b, i) {
      var el = document.createElement('button');
      el.type = 'button';
      el.className = 'rbox' + (b.auto ? ' rbox-auto' : '') + (i === selected ? ' rbox-selected' : '');
      el.dataset.index = String(i);
      el.setAttribute('aria-label', labelOf(b, i));
      el.setAttribute('aria-pressed', i === selected ? 'true' : 'false');
      el.style.left = pct(b.x, W);
      el.style.top = pct(b.y, H);
      el.style.width = pct(b.w, W);
      el.style.height = pct(b.h, H);
      var num = document.createElement('span');
      num.className = 'rbox-num';
      num.setAttribute('aria-hidden', 'true');
      num.textContent = String(i + 1);
      el.appendChild(num);
      var handle = document.createElement('span');
      handle.className = 'rbox-handle';
      handle.setAttribute('aria-hidden', 'true');
      el.appendChild(handle);
      layer.appendChild(el);

      var li = document.createElement('li');
      var text = document.createElement('span');
      text.textContent = labelOf(b, i);
      var remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'button small danger';
      remove.textContent = labels.remove;
      remove.setAttribute('aria-label', labels.remove + ': ' + fmt(labels.box, { n: i + 1 }));
      remove.addEventListener('click', function () {
        removeBox(i);
      });
      li.appendChild(text);
      li.appendChild(document.createTextNode(' '));
      li.appendChild(remove);
      list.appendChild(li);
    });
    var count = boxes.length === 0 ? labels.none : fmt(labels.count, { count: boxes.length });
    status.textContent = dirty ? count + ' · ' + labels.unsaved : count;
    hidden.value = JSON.stringify(plain());
    removeButton.disabled = selected < 0;
    addButton.disabled = boxes.length >= MAX;
    if (focusSelected && selected >= 0) {
      var target = layer.querySelector('[data-index="' + selected + '"]');
      if (target) target.focus();
    }
    if (previewing) drawPreview();
  }

  function plain() {
    return boxes.map(function (b) {
      return { x: b.x, y: b.y, w: b.w, h: b.h };
    });
  }

  function changed() {
    dirty = true;
  }

  function removeBox(i) {
    if (i < 0 || i >= boxes.length) return;
    boxes.splice(i, 1);
    selected = -1;
    changed();
    render(false);
    (boxes.length ? layer.querySelector('.rbox') : addButton).focus();
  }

  /** A pointer position in pixels of the photo. */
  function toImage(e) {
    var r = layer.getBoundingClientRect();
    return {
      x: Math.max(0, Math.min(W, ((e.clientX - r.left) * W) / r.width)),
      y: Math.max(0, Math.min(H, ((e.clientY - r.top) * H) / r.height)),
    };
  }

  layer.addEventListener('pointerdown', function (e) {
    if (previewing || (e.pointerType === 'mouse' && e.button !== 0)) return;
    e.preventDefault();
    var p = toImage(e);
    var boxEl = e.target.closest ? e.target.closest('.rbox') : null;
    if (boxEl) {
      var i = Number(boxEl.dataset.index);
      selected = i;
      drag = { mode: e.target.classList.contains('rbox-handle') ? 'resize' : 'move', index: i, start: p, origin: boxes[i] };
    } else {
      if (boxes.length >= MAX) {
        status.textContent = fmt(labels.tooMany, {});
        return;
      }
      boxes.push({ x: p.x, y: p.y, w: MIN, h: MIN, auto: false, score: null });
      selected = boxes.length - 1;
      drag = { mode: 'draw', index: selected, start: p, origin: null };
    }
    layer.setPointerCapture(e.pointerId);
    render(false);
  });

  layer.addEventListener('pointermove', function (e) {
    if (!drag) return;
    e.preventDefault();
    var p = toImage(e);
    var o = drag.origin;
    var b;
    if (drag.mode === 'draw') {
      b = { x: Math.min(drag.start.x, p.x), y: Math.min(drag.start.y, p.y), w: Math.abs(p.x - drag.start.x), h: Math.abs(p.y - drag.start.y), auto: false, score: null };
    } else if (drag.mode === 'move') {
      b = { x: o.x + p.x - drag.start.x, y: o.y + p.y - drag.start.y, w: o.w, h: o.h, auto: o.auto, score: o.score };
    } else {
      b = { x: o.x, y: o.y, w: Math.min(W - o.x, o.w + p.x - drag.start.x), h: Math.min(H - o.y, o.h + p.y - drag.start.y), auto: o.auto, score: o.score };
    }
    boxes[drag.index] = clamp(b);
    changed();
    render(false);
  });

  function endDrag(e) {
    if (!drag) return;
    if (layer.hasPointerCapture(e.pointerId)) layer.releasePointerCapture(e.pointerId);
    var d = drag;
    drag = null;
    if (d.mode === 'draw') {
      // A click without a drag draws nothing (it selected nothing either).
      var p = toImage(e);
      if (Math.abs(p.x - d.start.x) < MIN || Math.abs(p.y - d.start.y) < MIN) {
        boxes.splice(d.index, 1);
        selected = -1;
      }
    }
    render(selected >= 0);
  }
  layer.addEventListener('pointerup', endDrag);
  layer.addEventListener('pointercancel', endDrag);

  layer.addEventListener('keydown', function (e) {
    var boxEl = e.target.closest ? e.target.closest('.rbox') : null;
    if (!boxEl) return;
    var i = Number(boxEl.dataset.index);
    var b = boxes[i];
    var step = Math.max(1, Math.round(Math.max(W, H) / 100));
    var dx = 0;
    var dy = 0;
    if (e.key === 'ArrowLeft') dx = -step;
    else if (e.key === 'ArrowRight') dx = step;
    else if (e.key === 'ArrowUp') dy = -step;
    else if (e.key === 'ArrowDown') dy = step;
    else if (e.key === 'Delete' || e.key === 'Backspace') {
      e.preventDefault();
      removeBox(i);
      return;
    } else return;
    e.preventDefault();
    selected = i;
    boxes[i] = clamp(e.shiftKey ? { x: b.x, y: b.y, w: b.w + dx, h: b.h + dy, auto: b.auto, score: b.score } : { x: b.x + dx, y: b.y + dy, w: b.w, h: b.h, auto: b.auto, score: b.score });
    changed();
    render(true);
  });

  layer.addEventListener('click', function (e) {
    // Keyboard activation (Enter, Space) selects a box; pointer clicks were handled on pointerdown.
    var boxEl = e.target.closest ? e.target.closest('.rbox') : null;
    if (!boxEl || e.detail !== 0) return;
    selected = Number(boxEl.dataset.index);
    render(true);
  });

  addButton.addEventListener('click', function () {
    if (boxes.length >= MAX) return;
    var w = Math.max(MIN, Math.round(W / 5));
    var h = Math.max(MIN, Math.round(H / 5));
    boxes.push(clamp({ x: (W - w) / 2, y: (H - h) / 2, w: w, h: h, auto: false, score: null }));
    selected = boxes.length - 1;
    changed();
    render(true);
  });

  removeButton.addEventListener('click', function () {
    removeBox(selected);
  });

  /** The server's pixelation (src/domain/photos/redaction.ts, src/media/pixelate.ts), in a canvas. */
  function drawPreview() {
    var ctx = canvas.getContext('2d');
    ctx.drawImage(photo, 0, 0, W, H);
    var img = ctx.getImageData(0, 0, W, H);
    var data = img.data;
    boxes.forEach(function (b) {
      var margin = Math.max(4, Math.round(0.15 * Math.max(b.w, b.h)));
      var x0 = Math.max(0, b.x - margin);
      var y0 = Math.max(0, b.y - margin);
      var x1 = Math.min(W, b.x + b.w + margin);
      var y1 = Math.min(H, b.y + b.h + margin);
      var block = Math.max(rules.minBlock || 6, Math.ceil(Math.max(x1 - x0, y1 - y0) / (rules.blocksAcross || 6)));
      for (var by = y0; by < y1; by += block) {
        var bh = Math.min(block, y1 - by);
        for (var bx = x0; bx < x1; bx += block) {
          var bw = Math.min(block, x1 - bx);
          var r = 0;
          var g = 0;
          var bl = 0;
          var x;
          var y;
          var i;
          for (y = by; y < by + bh; y++) {
            for (x = bx; x < bx + bw; x++) {
              i = (y * W + x) * 4;
              r += data[i];
              g += data[i + 1];
              bl += data[i + 2];
            }
          }
          var n = bw * bh;
          r = Math.round(r / n);
          g = Math.round(g / n);
          bl = Math.round(bl / n);
          for (y = by; y < by + bh; y++) {
            for (x = bx; x < bx + bw; x++) {
              i = (y * W + x) * 4;
              data[i] = r;
              data[i + 1] = g;
              data[i + 2] = bl;
            }
          }
        }
      }
    });
    ctx.putImageData(img, 0, 0);
  }

  previewButton.addEventListener('click', function () {
    previewing = !previewing;
    previewButton.setAttribute('aria-pressed', previewing ? 'true' : 'false');
    previewButton.textContent = previewing ? labels.previewOff : labels.previewOn;
    canvas.hidden = !previewing;
    photo.hidden = previewing;
    stage.classList.toggle('redact-previewing', previewing);
    if (previewing) drawPreview();
  });

  form.addEventListener('submit', function () {
    hidden.value = JSON.stringify(plain());
    dirty = false;
  });

  window.addEventListener('beforeunload', function (e) {
    if (!dirty) return;
    e.preventDefault();
    e.returnValue = '';
  });

  render(false);
})();
