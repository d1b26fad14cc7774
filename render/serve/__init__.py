"""The live preview, `make serve`: the build kept warm in one process, the output folder
served to the browser, and the open pages told when what they show has changed.

- ``sources``: what the preview watches (the data, the code, the tutorial, the page) and
  which saves really changed a file's content;
- ``server``: the output folder over HTTP on 127.0.0.1 (nothing outside it, GET and HEAD,
  byte ranges), each page with ``live.js`` added as it is sent, and the news of each
  rebuild as server-sent events;
- ``loop``: the first build, then one rebuild per burst of saves, with the changed code
  imported anew, and the files each rebuild changed.

Nothing here draws or decides what is stale: a rebuild is the build's own (render/pipeline),
called in this process. Nothing an asset is drawn with lives here (render/pipeline/plan.py
leaves this folder out of every asset's code hash).
"""
