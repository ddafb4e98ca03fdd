/*
 * Attaching files to a prompt: the attach button opens the file picker, files dropped anywhere on
 * the pane and files pasted into it (an image copied from another app) are attached too.
 *
 * StreamChat.attachments(pane, composer, button): each file is announced to the server first
 * (pane.$server.beginAttachment(name, size, type)), which shows its chip and admits it by its size;
 * then its bytes go to the composer's upload address (data-upload) as the request body, with the
 * token the server gave. Progress shows on the chip; a chip removed meanwhile aborts its upload,
 * and an upload that breaks is reported (pane.$server.attachmentFailed) so the chip says so.
 */
(function () {
  const StreamChat = (window.StreamChat = window.StreamChat || {});

  function csrfHeaders() {
    const header = document.querySelector('meta[name="_csrf_header"]');
    const token = document.querySelector('meta[name="_csrf"]');
    return header && token ? { [header.content]: token.content } : {};
  }

  function chipOf(composer, token) {
    return composer.querySelector('[data-token="' + token + '"]');
  }

  function upload(pane, composer, file, token) {
    const address = composer.getAttribute('data-upload');
    const xhr = new XMLHttpRequest();
    xhr.open('POST', address + (address.includes('?') ? '&' : '?') + 't=' + encodeURIComponent(token));
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    const headers = csrfHeaders();
    Object.keys(headers).forEach(name => xhr.setRequestHeader(name, headers[name]));
    xhr.upload.onprogress = e => {
      const chip = chipOf(composer, token);
      if (!chip) {
        xhr.abort(); // removed while it travelled
        return;
      }
      if (e.lengthComputable) {
        chip.style.setProperty('--progress', Math.round((100 * e.loaded) / e.total) + '%');
      }
    };
    const failed = reason => () => {
      if (chipOf(composer, token)) pane.$server.attachmentFailed(token, reason);
    };
    xhr.onerror = failed('connection lost');
    xhr.ontimeout = failed('timed out');
    xhr.onload = () => {
      if (xhr.status >= 400 && xhr.status !== 413) failed('the server answered ' + xhr.status)();
    };
    xhr.send(file);
  }

  async function attach(pane, composer, files) {
    for (const file of files) {
      const token = await pane.$server.beginAttachment(file.name || 'pasted file', file.size, file.type || '');
      if (token) upload(pane, composer, file, token);
    }
  }

  function hasFiles(e) {
    return e.dataTransfer && Array.from(e.dataTransfer.types || []).includes('Files');
  }

  StreamChat.attachments = function (pane, composer, button) {
    if (pane.__attachments) return;
    pane.__attachments = true;

    // a detached input: Vaadin owns the composer's children
    const input = document.createElement('input');
    input.type = 'file';
    input.multiple = true;
    input.className = 'attachment-input';
    input.addEventListener('change', () => {
      const files = Array.from(input.files);
      input.value = '';
      attach(pane, composer, files);
    });
    button.addEventListener('click', () => input.click());
    pane.__attachmentInput = input; // for tests: the same input a click opens

    let depth = 0;
    pane.addEventListener('dragenter', e => {
      if (!hasFiles(e)) return;
      depth++;
      pane.setAttribute('drop-target', '');
    });
    pane.addEventListener('dragover', e => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
    });
    pane.addEventListener('dragleave', e => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) pane.removeAttribute('drop-target');
    });
    pane.addEventListener('drop', e => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      pane.removeAttribute('drop-target');
      attach(pane, composer, Array.from(e.dataTransfer.files));
    });
    pane.addEventListener('paste', e => {
      const files = Array.from((e.clipboardData && e.clipboardData.files) || []);
      if (files.length === 0) return; // text pastes as usual
      e.preventDefault();
      attach(pane, composer, files);
    });
  };

  /** Attaches files as a drop would (for tests, which cannot drag files into a browser). */
  StreamChat.attachFiles = function (pane, files) {
    const composer = pane.querySelector('.composer');
    return attach(pane, composer, files);
  };
})();
