// Installed in every benchmark tab before the page's own scripts (CDP addScriptToEvaluateOnNewDocument).
// Records when each chunk marker (zq<stream>x<seq>k) first appears in the DOM, Vaadin push messages
// received over the websocket, and long main-thread tasks. Clock: performance.timeOrigin + now(),
// the same wall clock the fake Gemini stamps its writes with.
(() => {
  const b = window.__bench = {seen: {}, pushes: 0, pushBytes: 0, longest: 0, longtasks: 0, enters: [],
    frameGap: 0, lastFrame: 0, resetAt: 0};
  const re = /zq(\d+)x(\d+)k/g;
  const now = () => performance.timeOrigin + performance.now();
  const scan = (text, t) => {
    if (!text || text.indexOf('zq') < 0) return;
    re.lastIndex = 0;
    let m;
    while ((m = re.exec(text)) !== null) {
      const key = m[1] + '.' + m[2];
      if (!(key in b.seen)) b.seen[key] = t;
    }
  };
  const observe = () => new MutationObserver(records => {
    const t = now();
    for (const r of records) {
      if (r.type === 'characterData') {
        scan(r.target.data, t);
        continue;
      }
      for (const n of r.addedNodes) {
        if (n.nodeType === 3) {
          // text appended node by node (a long plain tail): a marker may span the last few nodes
          let text = n.data, p = n.previousSibling;
          while (p && p.nodeType === 3 && text.length < 48) { text = p.data + text; p = p.previousSibling; }
          scan(text, t);
        } else if (n.nodeType === 1) {
          scan(n.textContent, t);
        }
      }
    }
  }).observe(document.documentElement, {childList: true, subtree: true, characterData: true});
  if (document.documentElement) observe(); else document.addEventListener('readystatechange', observe, {once: true});
  try {
    new PerformanceObserver(list => {
      for (const e of list.getEntries()) { b.longtasks++; if (e.duration > b.longest) b.longest = e.duration; }
    }).observe({type: 'longtask'});
  } catch (e) { b.longest = -1; }
  // the time a user's Enter is pressed (capture phase: before the page's own handlers run)
  window.addEventListener('keydown', e => { if (e.key === 'Enter') b.enters.push(now()); }, true);
  // the longest time between two animation frames: what a user sees as a stutter, whatever
  // caused it (script, style, layout, paint); the first frame after a reset only starts the count
  const frame = t => {
    if (b.lastFrame && t - b.lastFrame > b.frameGap) b.frameGap = t - b.lastFrame;
    b.lastFrame = t;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  // the slowest animation frames with what ran in them (Long Animation Frames API): which
  // script, and how much of the frame went to style and layout, for finding a stutter's cause
  b.worstFrames = [];
  try {
    new PerformanceObserver(list => {
      for (const e of list.getEntries()) {
        const w = b.worstFrames;
        if (w.length >= 5 && e.duration <= w[w.length - 1].duration) continue;
        w.push({duration: Math.round(e.duration), at: Math.round(e.startTime - b.resetAt), pushes: b.pushes,
          blocking: Math.round(e.blockingDuration),
          styleAndLayout: Math.round(e.startTime + e.duration - (e.styleAndLayoutStart || e.startTime + e.duration)),
          render: Math.round(e.renderStart ? e.startTime + e.duration - e.renderStart : 0),
          scripts: e.scripts.map(s => ({duration: Math.round(s.duration), invoker: s.invoker,
            fn: s.sourceFunctionName, src: (s.sourceURL || '').replace(/^.*\//, ''), at: s.sourceCharPosition,
            forcedLayout: Math.round(s.forcedStyleAndLayoutDuration)}))});
        w.sort((a, c) => c.duration - a.duration);
        w.length = Math.min(w.length, 5);
      }
    }).observe({type: 'long-animation-frame'});
  } catch (e) { /* not supported */ }
  const Native = window.WebSocket;
  const Counting = function (...args) {
    const ws = new Native(...args);
    ws.addEventListener('message', e => {
      b.pushes++;
      b.pushBytes += typeof e.data === 'string' ? e.data.length : (e.data.byteLength || e.data.size || 0);
    });
    return ws;
  };
  Counting.prototype = Native.prototype;
  for (const k of ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED']) Counting[k] = Native[k];
  window.WebSocket = Counting;
})();
