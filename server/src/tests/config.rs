//! The configuration read from flags: alert e-mails are off without an SMTP
//! server, and an incomplete SMTP setting stops the start with a French message.
use clap::Parser;

use crate::config::Config;
use crate::error::Error;
use app::backend::alert_mail::Security;

use crate::cli::Cli;

fn config(args: &[&str]) -> Result<Config, Error> {
    let cli = Cli::try_parse_from(std::iter::once("jalon").chain(args.iter().copied()))
        .expect("flags parse");
    Config::from_cli(&cli)
}

#[test]
fn alert_e_mails_are_off_unless_an_smtp_server_is_set_and_complete() {
    let off = config(&[]).expect("no SMTP flags");
    assert!(off.smtp.is_none(), "no server set: alerts in Jalon only");
    let on = config(&[
        "--public-url=https://jalon.example.org",
        "--smtp-host=smtp.example.org",
        "--smtp-from=Jalon <jalon@example.org>",
    ])
    .expect("complete settings");
    let smtp = on.smtp.expect("on");
    assert_eq!(
        (smtp.host.as_str(), smtp.security),
        ("smtp.example.org", Security::StartTls)
    );
    for (args, says) in [
        (
            &[
                "--smtp-host=smtp.example.org",
                "--smtp-from=jalon@example.org",
            ][..],
            "--public-url",
        ),
        (
            &[
                "--public-url=https://jalon.example.org",
                "--smtp-host=smtp.example.org",
            ][..],
            "--smtp-from",
        ),
        (&["--smtp-from=jalon@example.org"][..], "--smtp-host"),
        (
            &[
                "--public-url=https://jalon.example.org",
                "--smtp-host=smtp.example.org",
                "--smtp-from=pas une adresse",
            ][..],
            "--smtp-from",
        ),
        (
            &[
                "--public-url=https://jalon.example.org",
                "--smtp-host=smtp.example.org",
                "--smtp-from=jalon@example.org",
                "--smtp-security=ssl3",
            ][..],
            "--smtp-security",
        ),
    ] {
        match config(args) {
            Err(Error::Invalid(message)) => assert!(message.contains(says), "{message}"),
            other => panic!("{args:?} refused, got {other:?}"),
        }
    }
}
