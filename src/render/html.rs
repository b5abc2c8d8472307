//! What the HTML pages that fit any screen share: the document around their content.

use maud::{DOCTYPE, Markup, html};

/// An HTML document that fits the width of any device: the doctype, `html` in the language
/// `lang`, a head with the UTF-8 charset, the device-width viewport, the `title` and then
/// `head` (the page's style), and the `body`.
pub(crate) fn responsive_page(lang: &str, title: Markup, head: Markup, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(lang) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                (head)
            }
            body { (body) }
        }
    }
}
