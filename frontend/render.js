/*
 * Highlighted code, typeset math and Mermaid diagrams for settled markdown blocks.
 *
 * The server renders each settled block once (.block elements) and only the open tail again on
 * each push (.tail). This does the browser's part once per settled block, when the block is added
 * to the page, and never for the tail or a block done before: a long answer costs the same per
 * push at its end as at its start.
 *
 * - Code: highlight.js (window.hljs, loaded with the page), with the language shown on the block.
 * - Math: the server marks math spans (<span class="math" data-delim="1|2" [data-display]>, the
 *   TeX with its delimiters as text) so markdown cannot mangle them; KaTeX typesets them here.
 * - Mermaid: a ```mermaid block is drawn once it has settled, i.e. once its fence closed (while it
 *   streams, the tail shows its code). Mermaid is big, so it is loaded on first use. A diagram that
 *   does not parse keeps its code and gets a short error.
 *
 * StreamChat.renderBlocks(list): watches a pane's message list.
 */
(function () {
  const StreamChat = (window.StreamChat = window.StreamChat || {});
  // a code block longer than this stays plain: highlighting it could hold the page for too long;
  // guessing the language tries every grammar, so it gets a smaller budget
  const MAX_HIGHLIGHT_CHARS = 20000;
  const MAX_GUESS_CHARS = 4000;
  // beside this script's own folder (/frontend/), so that it resolves the same from the chat (whose
  // base is the app's root) and from the shared page (/share/{id}, no base element)
  const MERMAID_SRC = document.currentScript && document.currentScript.src
    ? new URL('../webjars/mermaid/dist/mermaid.min.js', document.currentScript.src).href
    : 'webjars/mermaid/dist/mermaid.min.js';
  let mermaidLoading = null;
  let diagrams = 0;
  let hljsConfigured = false;

  function darkScheme() {
    const theme = document.documentElement.getAttribute('theme') || '';
    return theme.includes('dark')
        || (!theme.includes('light') && window.matchMedia('(prefers-color-scheme: dark)').matches);
  }

  function loadMermaid() {
    if (!mermaidLoading) {
      mermaidLoading = new Promise((resolve, reject) => {
        const script = document.createElement('script');
        script.src = new URL(MERMAID_SRC, document.baseURI).href;
        script.onload = () => {
          window.mermaid.initialize({startOnLoad: false, securityLevel: 'strict',
            theme: darkScheme() ? 'dark' : 'default'});
          resolve(window.mermaid);
        };
        script.onerror = () => { mermaidLoading = null; reject(new Error('Mermaid could not be loaded')); };
        document.head.appendChild(script);
      });
    }
    return mermaidLoading;
  }

  function languageOf(code) {
    const match = /(?:^|\s)language-([\w+#.-]+)/.exec(code.className);
    return match ? match[1] : '';
  }

  function highlight(code) {
    const label = code.closest('.code-block')?.querySelector('.code-lang');
    if (!window.hljs || code.textContent.length > MAX_HIGHLIGHT_CHARS) return;
    if (!hljsConfigured) {
      // the code is the server's escaped markup: no warning about "unescaped HTML" in it
      window.hljs.configure({ignoreUnescapedHTML: true});
      hljsConfigured = true;
    }
    const named = languageOf(code);
    if (named && !window.hljs.getLanguage(named)) {
      return; // a language highlight.js does not know: plain, under its own name
    }
    if (!named && code.textContent.length > MAX_GUESS_CHARS) return;
    window.hljs.highlightElement(code);
    if (label && !label.textContent) {
      const found = code.result && code.result.language;
      if (found) label.textContent = found;
    }
  }

  function typeset(math) {
    if (!window.katex) return;
    const source = math.textContent;
    const delim = Number(math.dataset.delim || 1);
    window.katex.render(source.slice(delim, source.length - delim), math, {
      displayMode: math.hasAttribute('data-display'),
      throwOnError: false,
      output: 'htmlAndMathml', // MathML for screen readers
    });
    math.setAttribute('data-typeset', '');
  }

  async function drawDiagram(code) {
    const block = code.closest('.code-block') || code.closest('pre');
    const diagram = document.createElement('div');
    diagram.className = 'mermaid-diagram';
    block.before(diagram);
    const id = 'mermaid-' + (++diagrams);
    try {
      const mermaid = await loadMermaid();
      const {svg} = await mermaid.render(id, code.textContent);
      diagram.innerHTML = svg;
      block.hidden = true; // the diagram stands for its code now
    } catch (error) {
      document.getElementById('d' + id)?.remove(); // what Mermaid leaves behind after a failure
      diagram.className = 'mermaid-error';
      const message = String((error && error.message) || error).split('\n')[0].slice(0, 200);
      diagram.textContent = 'This diagram could not be drawn: ' + message;
    }
  }

  /** The browser's part of one settled block, once. */
  function render(block) {
    if (block.__rendered || !block.firstChild) return; // empty: its markup is still to come
    block.__rendered = true;
    block.querySelectorAll('pre > code').forEach(code => {
      if (languageOf(code) === 'mermaid') drawDiagram(code);
      else highlight(code);
    });
    block.querySelectorAll('.math').forEach(typeset);
  }

  /*
   * Settled blocks wait in a queue and are rendered a few milliseconds' worth per task, outside the
   * task that added them: a push that settles several blocks of code and math at once rendered them
   * all in the push's own task, which held the main thread for up to 144 ms on a long answer
   * (-Pbench s3r), and the frame with the newest text waited for it. Until its turn a block shows
   * its plain code and TeX.
   */
  const BUDGET_MS = 8;
  const queue = [];
  let pumping = false;

  function enqueue(block) {
    if (block.__queued) return;
    block.__queued = true;
    queue.push(block);
    if (!pumping) {
      pumping = true;
      setTimeout(pump, 0);
    }
  }

  function pump() {
    const until = performance.now() + BUDGET_MS;
    while (queue.length && performance.now() < until) {
      const block = queue.shift();
      block.__queued = false;
      if (block.isConnected) render(block);
    }
    if (queue.length) {
      setTimeout(pump, 0);
    } else {
      pumping = false;
    }
  }

  /** The settled blocks an added node brings: itself, its own blocks, or the block it fills. */
  function added(node) {
    if (node.nodeType !== Node.ELEMENT_NODE) node = node.parentElement;
    if (!node || node.closest('.tail')) return;
    const block = node.closest('.block');
    if (block) {
      enqueue(block);
    } else {
      node.querySelectorAll('.block').forEach(enqueue);
    }
  }

  StreamChat.renderBlocks = function (list) {
    if (list.__renderBlocks) return;
    list.__renderBlocks = true;
    new MutationObserver(records => {
      for (const record of records) {
        for (const node of record.addedNodes) added(node);
      }
    }).observe(list, {childList: true, subtree: true});
    list.querySelectorAll('.block').forEach(enqueue);
  };
})();
