//! Loads the islands' wasm without holding up the page: the bytes are
//! fetched once the page has loaded and the browser is idle, and the island
//! is hydrated at the person's first interaction (a touch, a key, a scroll,
//! a pointer moving). Until then the form is the plain HTML form, which
//! works on its own; nothing runs on the main thread while the page draws.
//! A page with an element marked `data-wake="at-once"` (figures that follow
//! the outbox) wakes its islands as soon as it has been read instead, since
//! nobody need touch a page they are watching.

use leptos::prelude::*;

/// The loader; `data-bundle` on its tag names the bundle without its
/// extension, such as `/pkg/hailong.0123456789abcdef`.
const LOADER: &str = r#"
const pkg = document.querySelector('script[data-bundle]').dataset.bundle;
const idle = (f) => ('requestIdleCallback' in window ? requestIdleCallback(f) : setTimeout(f, 1));
addEventListener('load', () => idle(() => {
  for (const ext of ['.js', '.wasm']) {
    const link = document.createElement('link');
    link.rel = 'prefetch';
    link.href = pkg + ext;
    document.head.append(link);
  }
}));
const triggers = ['pointerdown', 'pointermove', 'keydown', 'touchstart', 'focusin', 'scroll'];
const start = async () => {
  for (const name of triggers) removeEventListener(name, start, true);
  const mod = await import(pkg + '.js');
  await mod.default({ module_or_path: pkg + '.wasm' });
  mod.hydrate();
  for (const island of document.querySelectorAll('leptos-island')) {
    const hydrate = mod[island.dataset.component];
    if (hydrate) await hydrate(island);
  }
};
for (const name of triggers) addEventListener(name, start, { capture: true, passive: true, once: true });
// A page that follows something live (the outbox sending invitations)
// wakes its islands at once: the person may well just watch it.
if (document.querySelector('[data-wake="at-once"]')) start();
"#;

/// The `<script>` that loads the islands of a page, carrying this
/// response's nonce (the Content-Security-Policy allows no other inline script).
#[component]
pub fn IslandLoader(options: LeptosOptions) -> impl IntoView {
    let bundle = format!("/{}/{}", options.site_pkg_dir, options.output_name);
    let nonce = leptos::nonce::use_nonce();
    view! { <script type="module" nonce=nonce data-bundle=bundle>{LOADER}</script> }
}
