/*
 * Keeps a pane's messages at the newest line while an answer grows, in the same frame as the
 * growth: the ResizeObserver callback runs after layout and before paint, so a scroll made there
 * is painted together with the new text (a timer would paint the new text first, below the fold).
 * Scrolling up detaches at once and shows the jump control, which re-pins. Older pages put above
 * the oldest message keep what the user is looking at in place.
 *
 * StreamChat.follow(pane, scroller): pane is the .pane element (with $server), scroller .messages.
 */
(function () {
  const StreamChat = (window.StreamChat = window.StreamChat || {});
  // within this many pixels of the end counts as "at the end" (a line and a bit)
  const NEAR_END = 48;
  // from this close to the top, the page before the oldest message is fetched
  const NEAR_TOP = 200;

  StreamChat.follow = function (pane, scroller) {
    if (scroller.__follow) return;
    scroller.__follow = true;
    const list = scroller.querySelector('.message-list');
    let pinned = true;
    // where our own last scroll left scrollTop: only a move up from there is the user's
    let ownTop = 0;
    // while older messages are put above: the distance from the scroller's end to keep
    let keepFromEnd = null;

    const atEnd = () => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < NEAR_END;
    const setTop = top => {
      scroller.scrollTop = top;
      ownTop = scroller.scrollTop;
    };
    const toEnd = () => setTop(scroller.scrollHeight);
    const pin = value => {
      pinned = value;
      pane.toggleAttribute('detached', !value);
    };

    const loadOlder = () => {
      if (keepFromEnd !== null || !pane.hasAttribute('data-has-older')) return;
      keepFromEnd = scroller.scrollHeight - scroller.scrollTop;
      const done = () => {
        // the rows have been laid out by now; one last correction, then the view is the user's
        setTop(scroller.scrollHeight - keepFromEnd);
        keepFromEnd = null;
      };
      pane.$server.loadOlder().then(() => requestAnimationFrame(done), () => { keepFromEnd = null; });
    };

    // Every growth (text, a row's buttons appearing, a line wrapping) and every shrink of the view
    // (the prompt growing a line) lands here, in the frame it happens in.
    const resized = new ResizeObserver(() => {
      if (keepFromEnd !== null) setTop(scroller.scrollHeight - keepFromEnd);
      else if (pinned) toEnd();
    });
    resized.observe(list);
    resized.observe(scroller);

    scroller.addEventListener('scroll', () => {
      if (atEnd()) pin(true);
      else if (scroller.scrollTop < ownTop - 4) pin(false);
      // our own scrolls go to the end, so being near the top is the user's doing
      if (scroller.scrollTop < NEAR_TOP && !atEnd()) loadOlder();
    }, {passive: true});
    // a wheel turned up is the user's at once, before the scroll it causes arrives
    scroller.addEventListener('wheel', e => {
      if (e.deltaY < 0 && scroller.scrollHeight > scroller.clientHeight) pin(false);
    }, {passive: true});

    pane.querySelector('.jump-latest').addEventListener('click', () => { pin(true); toEnd(); });
    toEnd();
    // once more after the first layout: the rows may not have had their height yet
    requestAnimationFrame(() => { if (pinned) toEnd(); });
  };
})();
