//! The little of HTTP/1.1 the preview needs: read a request's head, with
//! bounds, and write one answer, then close the connection.
//!
//! A general server reads whatever head a client sends; this one reads at
//! most [`MAX_HEAD`] bytes of it within [`HEAD_TIME`], so that a client
//! cannot make the preview keep a huge header in memory or hold a thread
//! forever. Requests have no body (GET and HEAD only); each connection
//! carries one request, which is all a preview needs.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::{Duration, Instant};

/// The longest request head read: the request line and the headers.
/// Browsers send a few hundred bytes; servers commonly allow 8 to 16 KB.
pub(super) const MAX_HEAD: usize = 16 * 1024;

/// How long a client has to send its request's head.
const HEAD_TIME: Duration = Duration::from_secs(10);

/// What a client asked for.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Head {
    Request {
        method: String,
        target: String,
    },
    /// More than [`MAX_HEAD`] bytes without the end of the head.
    TooLarge,
    /// Not an HTTP/1 request line, or the connection ended first.
    Malformed,
}

/// An answer: status, headers, body.
pub(super) struct Answer {
    pub status: u16,
    headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    pub(super) fn new(status: u16, body: Vec<u8>) -> Answer {
        Answer { status, headers: Vec::new(), body }
    }

    /// Adds a header. Values are constants or made by the preview (a
    /// percent-encoded path, a version): a line break in one is a bug.
    pub(super) fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Answer {
        let value = value.into();
        assert!(!value.contains(['\r', '\n']), "line break in a header value");
        self.headers.push((name, value));
        self
    }
}

/// Reads the head of the request on `stream`, up to [`MAX_HEAD`] bytes and
/// for at most [`HEAD_TIME`].
pub(super) fn read_head(stream: &mut TcpStream) -> io::Result<Head> {
    let deadline = Instant::now() + HEAD_TIME;
    let mut head = Vec::with_capacity(1024);
    let mut chunk = [0; 4096];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        stream.set_read_timeout(Some(left))?;
        let n = stream.read(&mut chunk)?;
        if n == 0 {
            return Ok(Head::Malformed);
        }
        let from = head.len().saturating_sub(3);
        head.extend_from_slice(&chunk[..n]);
        if let Some(end) = head[from..].windows(4).position(|w| w == b"\r\n\r\n") {
            let end = from + end;
            return Ok(if end > MAX_HEAD { Head::TooLarge } else { parse_head(&head[..end]) });
        }
        if head.len() > MAX_HEAD {
            return Ok(Head::TooLarge);
        }
    }
}

/// The method and target of a head's request line (`GET /a.html HTTP/1.1`).
fn parse_head(head: &[u8]) -> Head {
    let line = head.split(|&b| b == b'\n').next().unwrap_or_default();
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let Ok(line) = std::str::from_utf8(line) else { return Head::Malformed };
    let mut parts = line.split(' ');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(method), Some(target), Some(version), None)
            if !method.is_empty() && !target.is_empty() && version.starts_with("HTTP/1.") =>
        {
            Head::Request { method: method.to_string(), target: target.to_string() }
        }
        _ => Head::Malformed,
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        _ => "",
    }
}

/// Writes `answer` (without its body for a HEAD request), then ends the
/// connection: the client reads up to the end, and what it still sends
/// (the rest of a head too large) is read and dropped for a moment, so
/// that closing does not reset the connection before the answer is read.
pub(super) fn send(mut stream: TcpStream, answer: &Answer, with_body: bool) -> io::Result<()> {
    let mut head = format!("HTTP/1.1 {} {}\r\n", answer.status, reason(answer.status));
    for (name, value) in &answer.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\nConnection: close\r\n\r\n", answer.body.len()));
    stream.write_all(head.as_bytes())?;
    if with_body {
        stream.write_all(&answer.body)?;
    }
    stream.flush()?;
    stream.shutdown(Shutdown::Write)?;
    stream.set_read_timeout(Some(Duration::from_secs(1)))?;
    let mut sink = [0; 4096];
    let mut drained = 0;
    while drained < 1 << 20 {
        match stream.read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(n) => drained += n,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_lines() {
        assert_eq!(
            parse_head(b"GET //lieux?x=1 HTTP/1.1\r\nHost: a"),
            Head::Request { method: "GET".into(), target: "//lieux?x=1".into() }
        );
        for bad in [&b"GET / HTTP/2"[..], b"GET /", b"GET  / HTTP/1.1", b"\xff / HTTP/1.1", b""] {
            assert_eq!(parse_head(bad), Head::Malformed, "{}", String::from_utf8_lossy(bad));
        }
    }
}
