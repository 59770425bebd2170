//! Inline SVG icons (no icon font, no request). Decorative: always paired
//! with a word, so hidden from screen readers.
use leptos::prelude::*;

fn path_of(name: &str) -> &'static str {
    match name {
        "home" => "M3 11 12 3l9 8v10h-6v-6H9v6H3z",
        "user" => "M12 12a4.5 4.5 0 1 0 0-9 4.5 4.5 0 0 0 0 9zm-8 9c0-4 3.6-7 8-7s8 3 8 7z",
        "key" => {
            "M14 3a7 7 0 0 0-6.6 9.3L2 17.7V22h4.3v-2.3h2.3v-2.3h2.3l1.4-1.4A7 7 0 1 0 14 3zm2.5 3a2 2 0 1 1 0 4 2 2 0 0 1 0-4z"
        }
        "alert" => "M12 2 1 21h22zm-1 7h2v6h-2zm0 8h2v2h-2z",
        "search" => {
            "M10 3a7 7 0 0 1 5.6 11.2l5.1 5.1-1.4 1.4-5.1-5.1A7 7 0 1 1 10 3zm0 2a5 5 0 1 0 0 10 5 5 0 0 0 0-10z"
        }
        "team" => {
            "M8 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7zm8 0a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM1 20c0-3.3 3.1-6 7-6s7 2.7 7 6zm15.5 0c0-2.2-.9-4.1-2.4-5.4.6-.1 1.2-.1 1.9-.1 3.6 0 6 2.4 6 5.5z"
        }
        "calendar" => "M7 2h2v2h6V2h2v2h3v18H4V4h3zm-1 8v10h12V10z",
        "logout" => {
            "M4 3h9v2H6v14h7v2H4zm12.6 4.4L21.2 12l-4.6 4.6-1.4-1.4 2.2-2.2H10v-2h7.4l-2.2-2.2z"
        }
        "file" => "M5 2h9l5 5v15H5zm8 1.5V8h4.5z",
        "check" => "M9 16.2 4.8 12l-1.4 1.4L9 19 21 7l-1.4-1.4z",
        "star" => "m12 2 3 6.6 7 .8-5.2 4.8 1.4 7L12 17.7 5.8 21.2l1.4-7L2 9.4l7-.8z",
        "clock" => {
            "M12 2a10 10 0 1 1 0 20 10 10 0 0 1 0-20zm0 2a8 8 0 1 0 0 16 8 8 0 0 0 0-16zm1 3v5.4l3.7 2.2-1 1.7L11 13.5V7z"
        }
        "minus" => "M12 2a10 10 0 1 1 0 20 10 10 0 0 1 0-20zM7 11v2h10v-2z",
        "exit" => {
            "M5 3h9v2H7v14h7v2H5zm11.6 4.4L21.2 12l-4.6 4.6-1.4-1.4 2.2-2.2H10v-2h7.4l-2.2-2.2z"
        }
        // The mark: a milestone (jalon) on a path.
        "mark" => "M11 2h2v3l6 3-6 3v11h-2zM4 20h16v2H4z",
        _ => "M4 4h16v16H4z",
    }
}

#[component]
pub fn Icon(name: &'static str) -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">
            <path fill="currentColor" d=path_of(name)/>
        </svg>
    }
}
