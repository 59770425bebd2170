//! An SMTP server for the tests, on loopback: it speaks enough of the
//! protocol (RFC 5321: greeting, EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT)
//! for a real client to deliver to it, and keeps every message it receives.
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// One delivered message: its envelope and its raw text (headers and body).
#[derive(Debug, Clone)]
pub(super) struct Delivered {
    pub(super) from: String,
    pub(super) to: Vec<String>,
    pub(super) raw: Vec<u8>,
}

pub(super) struct Sink {
    pub(super) port: u16,
    received: Arc<Mutex<Vec<Delivered>>>,
}

impl Sink {
    pub(super) async fn start() -> Sink {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("smtp bind");
        let port = listener.local_addr().expect("smtp addr").port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let keep = received.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let keep = keep.clone();
                tokio::spawn(async move {
                    if let Err(err) = session(stream, keep).await {
                        eprintln!("smtp sink: {err}");
                    }
                });
            }
        });
        Sink { port, received }
    }

    /// The messages received so far, taken (the next call sees only newer ones).
    pub(super) fn take(&self) -> Vec<Delivered> {
        std::mem::take(&mut *self.received.lock().expect("sink lock"))
    }
}

fn address(arg: &str) -> String {
    let start = arg.find('<').map_or(0, |i| i + 1);
    let end = arg[start..].find('>').map_or(arg.len(), |i| start + i);
    arg[start..end].to_string()
}

async fn session(stream: TcpStream, keep: Arc<Mutex<Vec<Delivered>>>) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 sink.test ESMTP\r\n").await?;
    let (mut from, mut to) = (String::new(), Vec::new());
    let mut line = Vec::new();
    loop {
        line.clear();
        if lines.read_until(b'\n', &mut line).await? == 0 {
            return Ok(());
        }
        let text = String::from_utf8_lossy(&line);
        let command = text.trim_end();
        let verb = command
            .split([' ', ':'])
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        let reply: &[u8] = match verb.as_str() {
            "EHLO" => b"250-sink.test\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n",
            "HELO" | "NOOP" => b"250 OK\r\n",
            "RSET" => {
                (from, to) = (String::new(), Vec::new());
                b"250 OK\r\n"
            }
            "MAIL" => {
                from = address(command);
                b"250 OK\r\n"
            }
            "RCPT" => {
                to.push(address(command));
                b"250 OK\r\n"
            }
            "DATA" => {
                write.write_all(b"354 Go ahead\r\n").await?;
                let mut raw = Vec::new();
                loop {
                    line.clear();
                    if lines.read_until(b'\n', &mut line).await? == 0 {
                        return Ok(());
                    }
                    if line == b".\r\n" {
                        break;
                    }
                    // Dot-stuffing: a line that began with a dot was sent with two.
                    let kept = if line.starts_with(b"..") {
                        &line[1..]
                    } else {
                        &line[..]
                    };
                    raw.extend_from_slice(kept);
                }
                keep.lock().expect("sink lock").push(Delivered {
                    from: std::mem::take(&mut from),
                    to: std::mem::take(&mut to),
                    raw,
                });
                b"250 Queued\r\n"
            }
            "QUIT" => {
                write.write_all(b"221 Bye\r\n").await?;
                return Ok(());
            }
            _ => b"502 Not implemented\r\n",
        };
        write.write_all(reply).await?;
    }
}
