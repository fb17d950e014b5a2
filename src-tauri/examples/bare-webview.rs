//! The memory floor for `make bench-app`: one GTK window with one WebKitGTK web view showing a
//! line of Chinese text, and nothing else — no Tauri, no store, no Vue. `scripts/bench-app.py`
//! measures it exactly as it measures the app, so the report can say how much of the app's
//! memory is the web view itself (its web and network processes, WebKitGTK, JavaScriptCore and
//! Mesa mapped into each) and how much is HearingDesk's own.
//!
//! Prints `loaded` on standard output once the page has finished loading; exits after 60 s or
//! when the window is closed.

use gtk::prelude::*;
use webkit2gtk::{LoadEvent, WebView, WebViewExt};

const PAGE: &str = "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\">\
<body><h1>听证工作台</h1><p>空白页面，用于测量 WebKitGTK 本身占用的内存。</p></body></html>";

fn main() {
    // Drawn as the app draws: without accelerated compositing, set before GTK and WebKit start
    // as `webview_rendering_defaults` (src/lib.rs) sets it. Not called from there: linking the
    // app's library would put its code into this floor (1.5 MB more RSS, measured).
    if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none() {
        std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    }
    if let Err(e) = gtk::init() {
        eprintln!("bare-webview: GTK did not start: {e}");
        std::process::exit(1);
    }
    let window = gtk::Window::new(gtk::WindowType::Toplevel);
    window.set_default_size(1280, 800);
    let view = WebView::new();
    view.connect_load_changed(|_, event| {
        if event == LoadEvent::Finished {
            println!("loaded");
        }
    });
    view.load_html(PAGE, None);
    window.add(&view);
    window.connect_destroy(|_| gtk::main_quit());
    window.show_all();
    gtk::glib::timeout_add_seconds_local_once(60, gtk::main_quit);
    gtk::main();
}
