// The explorer's views other than entity pages: the landing page (/), the
// path finder (/explore/paths) and the SPARQL editor (/explore/sparql).
// Each view's state lives in the URL's query string, so every view can be
// reloaded, bookmarked and shared; the back button walks the views.

import { landing } from './landing.js';
import { pathFinder } from './paths.js';
import { sparqlEditor } from './sparql.js';

const views = {
  '/': landing,
  '/explore/paths': pathFinder,
  '/explore/sparql': sparqlEditor,
};

// show renders the view of the current URL into <main>.
async function show() {
  const main = document.getElementById('main');
  const view = views[location.pathname] || landing;
  const params = new URL(location.href).searchParams;
  document.getElementById('q').value = params.get('q') || '';
  for (const a of document.querySelectorAll('header nav a')) {
    if (a.getAttribute('href') === location.pathname) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  main.replaceChildren();
  for (const k of Object.keys(main.dataset)) delete main.dataset[k];
  await view(main, params, navigate);
  main.dataset.ready = 'true';
}

// navigate moves to the view at url, adding a history entry, without
// reloading the page.
export function navigate(url) {
  history.pushState(null, '', url);
  show();
}

window.addEventListener('popstate', show);
show();
