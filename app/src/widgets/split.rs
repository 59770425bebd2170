//! Desks (from 1024 px wide): a list and the thing opened from it side by
//! side (`.split` in the style sheet). Phones keep one screen at a time; a
//! list shown only on desks is fetched in the browser once the page is
//! live, so phones never load it.

/// The width from which the style sheet lays a `.split` out in two columns.
pub const DESK_MIN_WIDTH: f64 = 1024.0;

/// Whether this screen is a desk's; always `false` on the server (the page
/// it renders is the same for every screen).
pub fn on_desk() -> bool {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window()
            .and_then(|w| w.inner_width().ok())
            .and_then(|width| width.as_f64())
            .is_some_and(|width| width >= DESK_MIN_WIDTH)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        false
    }
}

/// Moves the keyboard focus to the element with this id (the detail just
/// opened), in the browser.
pub fn focus(id: &str) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(id))
            .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}
