// Search over the archive with Pagefind, loaded from this site only (`../pagefind/`).
// Progressive: the page works without this script (it shows a link to the archive); the script
// reveals the form, searches as you submit, and keeps the query in the address (?q=…).
// The index comes in shards (the newest year in `pagefind/`, earlier decades in
// `pagefind/<years>/`, listed in `pagefind/shards.json`); Pagefind's `mergeIndex` adds the others
// to the main one, so one query searches them all and ranks the results together.
const form = document.querySelector('[data-search]');
const fallback = document.querySelector('[data-search-fallback]');
const status = document.querySelector('[data-search-status]');
const results = document.querySelector('[data-search-results]');
const root = new URL('../', import.meta.url);
const bundles = new URL('pagefind/', root);
let engine;

async function loadEngine() {
  const [pagefind, manifest] = await Promise.all([
    import(new URL('pagefind.js', bundles).href),
    fetch(new URL('shards.json', bundles), { cache: 'no-cache' }).then((response) => {
      if (!response.ok) throw new Error(`shards.json: ${response.status}`);
      return response.json();
    }),
  ]);
  const options = { baseUrl: root.pathname };
  await pagefind.options(options);
  await Promise.all(
    manifest.shards.map((name) => pagefind.mergeIndex(new URL(`${name}/`, bundles).pathname, options)),
  );
  return pagefind;
}

function say(template, query, count) {
  status.textContent = template.replace('{q}', query).replace('{n}', String(count));
}

// Pagefind excerpts are text with <mark> around hits; build nodes instead of trusting markup.
function excerptNodes(excerpt) {
  const doc = new DOMParser().parseFromString(`<p>${excerpt}</p>`, 'text/html');
  const out = document.createElement('p');
  for (const node of doc.body.firstChild.childNodes) {
    if (node.nodeName === 'MARK') {
      const mark = document.createElement('mark');
      mark.textContent = node.textContent;
      out.append(mark);
    } else out.append(node.textContent);
  }
  return out;
}

async function search(query) {
  results.replaceChildren();
  if (!query) return void (status.textContent = '');
  status.textContent = form.dataset.busy;
  try {
    engine ??= loadEngine();
    const found = await (await engine).search(query);
    const pages = await Promise.all(found.results.slice(0, 20).map((result) => result.data()));
    for (const page of pages) {
      const item = document.createElement('li');
      const heading = document.createElement('h2');
      const link = document.createElement('a');
      link.href = page.url;
      link.textContent = page.meta.title ?? page.url;
      heading.append(link);
      const month = document.createElement('p');
      month.className = 'teaser-month';
      month.textContent = page.meta.month ?? '';
      item.append(month, heading, excerptNodes(page.excerpt));
      results.append(item);
    }
    const count = found.results.length;
    say(count === 0 ? form.dataset.none : count === 1 ? form.dataset.one : form.dataset.many, query, count);
  } catch {
    engine = undefined; // try again on the next search
    status.textContent = form.dataset.failed;
    fallback.hidden = false;
  }
}

if (form && fallback && status && results) {
  const input = form.querySelector('input[name="q"]');
  form.hidden = false;
  fallback.hidden = true;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const query = input.value.trim();
    const url = new URL(location.href);
    if (query) url.searchParams.set('q', query);
    else url.searchParams.delete('q');
    history.replaceState(null, '', url);
    void search(query);
  });
  const initial = new URL(location.href).searchParams.get('q');
  if (initial) {
    input.value = initial;
    void search(initial.trim());
  }
}
