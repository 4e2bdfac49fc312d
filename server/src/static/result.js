// Full-screen viewer for the result page: tap an image to open it full screen, pinch or
// double-tap to zoom, drag to pan, Close / Back / Esc to leave. Without this script each image
// link simply opens the full-size JPEG, which phones already zoom natively.
(function () {
  'use strict';
  var list = document.querySelector('.shots');
  if (!list) return;
  var closeText = list.getAttribute('data-close') || 'Close';

  function open(href, alt) {
    var box = document.createElement('div');
    box.className = 'viewer';
    var img = document.createElement('img');
    img.src = href;
    img.alt = alt;
    var btn = document.createElement('button');
    btn.type = 'button';
    btn.textContent = closeText;
    box.appendChild(img);
    box.appendChild(btn);
    document.body.appendChild(box);

    var s = 1, x = 0, y = 0;
    var pts = new Map();
    var start = null;
    var lastTap = 0;
    function apply() { img.style.transform = 'translate(' + x + 'px,' + y + 'px) scale(' + s + ')'; }
    function clamp() {
      s = Math.min(8, Math.max(1, s));
      var w = box.clientWidth, h = box.clientHeight;
      x = Math.min(0, Math.max(w - w * s, x));
      y = Math.min(0, Math.max(h - h * s, y));
    }
    function zoomAt(cx, cy, ns) { x = cx - (cx - x) * (ns / s); y = cy - (cy - y) * (ns / s); s = ns; clamp(); apply(); }
    function snapshot() {
      var a = Array.from(pts.values());
      if (a.length >= 2) {
        var dx = a[0].x - a[1].x, dy = a[0].y - a[1].y;
        return { d: Math.hypot(dx, dy), cx: (a[0].x + a[1].x) / 2, cy: (a[0].y + a[1].y) / 2, s: s, x: x, y: y };
      }
      return a.length === 1 ? { d: 0, cx: a[0].x, cy: a[0].y, s: s, x: x, y: y } : null;
    }
    box.addEventListener('pointerdown', function (e) {
      if (e.target === btn) return;
      box.setPointerCapture(e.pointerId);
      pts.set(e.pointerId, { x: e.clientX, y: e.clientY });
      start = snapshot();
      if (pts.size === 1) {
        var now = Date.now();
        if (now - lastTap < 300) zoomAt(e.clientX, e.clientY, s > 1.5 ? 1 : 2.5);
        lastTap = now;
      }
    });
    box.addEventListener('pointermove', function (e) {
      if (!pts.has(e.pointerId) || !start) return;
      pts.set(e.pointerId, { x: e.clientX, y: e.clientY });
      var now = snapshot();
      if (!now) return;
      if (now.d > 0 && start.d > 0) {
        var ns = Math.min(8, Math.max(1, start.s * (now.d / start.d)));
        x = now.cx - (start.cx - start.x) * (ns / start.s);
        y = now.cy - (start.cy - start.y) * (ns / start.s);
        s = ns;
      } else {
        x = start.x + (now.cx - start.cx);
        y = start.y + (now.cy - start.cy);
      }
      clamp();
      apply();
    });
    function up(e) { pts.delete(e.pointerId); start = snapshot(); }
    box.addEventListener('pointerup', up);
    box.addEventListener('pointercancel', up);
    box.addEventListener('wheel', function (e) { e.preventDefault(); zoomAt(e.clientX, e.clientY, s * (e.deltaY < 0 ? 1.2 : 1 / 1.2)); }, { passive: false });

    function close() {
      window.removeEventListener('popstate', onPop);
      document.removeEventListener('keydown', onKey);
      if (document.fullscreenElement) document.exitFullscreen().catch(function () {});
      box.remove();
    }
    function onPop() { close(); }
    function onKey(e) { if (e.key === 'Escape') history.back(); }
    btn.addEventListener('click', function () { history.back(); });
    history.pushState({ viewer: true }, '');
    window.addEventListener('popstate', onPop);
    document.addEventListener('keydown', onKey);
    if (box.requestFullscreen) box.requestFullscreen().catch(function () {});
  }

  list.addEventListener('click', function (e) {
    var a = e.target.closest('a.shot');
    if (!a) return;
    e.preventDefault();
    var img = a.querySelector('img');
    open(a.getAttribute('href'), img ? img.alt : '');
  });
})();
