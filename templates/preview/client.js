// nyhetsbrev preview: live reload over server-sent events, the error overlay, iframe sizing.
(() => {
  const issue = document.body.dataset.issue;
  const scrollKey = `nyhetsbrev:scroll:${location.pathname}`;
  const frames = [...document.querySelectorAll('iframe[data-autosize]')];

  // Keep the reader's place across reloads: restore it once the iframes have their height.
  if ('scrollRestoration' in history) history.scrollRestoration = 'manual';
  const fit = (frame) => {
    try {
      frame.style.height = `${frame.contentDocument.documentElement.scrollHeight}px`;
    } catch {
      // not loaded yet
    }
  };
  const loaded = frames.map(
    (frame) =>
      new Promise((resolve) => {
        const done = () => {
          fit(frame);
          resolve();
        };
        if (frame.contentDocument && frame.contentDocument.readyState === 'complete' && frame.contentDocument.URL !== 'about:blank') done();
        else frame.addEventListener('load', done, { once: true });
        frame.addEventListener('load', () => setTimeout(() => fit(frame), 200));
      }),
  );
  Promise.all(loaded).then(() => {
    const saved = Number(sessionStorage.getItem(scrollKey));
    if (saved > 0) window.scrollTo(0, saved);
    sessionStorage.removeItem(scrollKey);
    document.body.dataset.ready = 'true';
  });

  const reload = () => {
    sessionStorage.setItem(scrollKey, String(window.scrollY));
    location.reload();
  };

  let timer;
  let lost = false;
  const events = new EventSource(`/_preview/events${issue ? `?issue=${encodeURIComponent(issue)}` : ''}`);
  events.addEventListener('update', (event) => {
    const { ids } = JSON.parse(event.data);
    if (issue && ids !== '*' && !ids.includes(issue)) return;
    sessionStorage.setItem('nyhetsbrev:notified', String(Date.now()));
    clearTimeout(timer);
    // The start page collects a burst of updates (start-up builds) into one reload.
    timer = setTimeout(reload, issue ? 0 : 200);
  });
  events.addEventListener('error', () => {
    lost = true;
    document.body.classList.add('disconnected');
  });
  events.addEventListener('open', () => {
    if (lost) reload(); // the server restarted: what it shows may have changed
  });

  const overlay = document.getElementById('overlay');
  const close = document.getElementById('overlay-close');
  if (overlay && close) {
    const key = `nyhetsbrev:dismissed:${location.pathname}`;
    if (sessionStorage.getItem(key) === overlay.dataset.signature) overlay.hidden = true;
    else close.focus();
    const dismiss = () => {
      overlay.hidden = true;
      sessionStorage.setItem(key, overlay.dataset.signature || '');
    };
    close.addEventListener('click', dismiss);
    overlay.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') dismiss();
    });
  }
})();
