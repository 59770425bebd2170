//! QR codes as SVG, for links printed or shown on a screen (activation
//! codes, the attestation's verification page).

/// The QR code of `link`, at least 220 px wide with its quiet zone; empty
/// if the link is too long to encode.
pub fn svg(link: &str) -> String {
    qrcode::QrCode::new(link.as_bytes())
        .map(|qr| {
            qr.render::<qrcode::render::svg::Color>()
                .min_dimensions(220, 220)
                .quiet_zone(true)
                .build()
        })
        .unwrap_or_default()
}
