//! A server that answers from recorded exchanges ([`Replay`], `engageip serve --replay DIR`).
//!
//! A `POST` matches a recording with the same content type, the same action (`SOAPAction`,
//! or SOAP 1.2's `action=`) and the same body by meaning
//! ([`crate::runtime::server::request_meaning`]: the SOAP headers, the `AuthHeader` among
//! them, and the formatting do not count). It gets the recorded status, content type and
//! body, byte for byte. Identical requests get their recordings' answers in recorded order;
//! once those are used up, or when nothing matches, the answer is HTTP 500 with a SOAP fault
//! saying that no recording matches and naming the operation. A body that is not a SOAP
//! envelope matches a recording of exactly the same bytes. A `GET` matches a recorded `GET`
//! with the same query (`?WSDL`: the recorded WSDL, its addresses set to the request's URL,
//! as ASMX writes them); without one, the committed WSDL, discovery document and help page
//! are served as [`super::describe`] does.

use std::collections::{HashMap, VecDeque};
use std::path::Path;
use std::sync::{Mutex, PoisonError};

use super::endpoint::{Endpoint, EndpointRequest, Reply, describe};
use super::http::ServeOptions;
use super::recording::{Recording, RecordingError, read_dir};
use crate::runtime::server::{HttpResponse, RequestMeaning, request_meaning, wsdl_for_endpoint};
use crate::runtime::{Fault, FaultCode, SoapVersion, encode_fault};

/// What identifies a request among the recordings.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    /// A `POST` with a SOAP envelope: media type, action, meaning.
    Soap { media: String, action: Option<String>, meaning: RequestMeaning },
    /// A `POST` whose body is no SOAP envelope: media type and the exact bytes.
    Raw { media: String, body: Vec<u8> },
    /// A `GET` (or another method without a body): method and lower-cased query.
    Get { method: String, query: String },
}

fn media_type(content_type: Option<&str>) -> String {
    content_type.unwrap_or_default().split(';').next().unwrap_or_default().trim().to_ascii_lowercase()
}

/// The action a request names: the `SOAPAction` header unquoted, else the content type's
/// `action` parameter; `None` when absent or empty.
fn action(content_type: Option<&str>, soap_action: Option<&str>) -> Option<String> {
    let unquote = |v: &str| v.trim().trim_matches('"').trim().to_owned();
    let from_type = content_type.and_then(|ct| {
        ct.split(';').skip(1).find_map(|p| {
            let (k, v) = p.split_once('=')?;
            k.trim().eq_ignore_ascii_case("action").then(|| unquote(v))
        })
    });
    soap_action.map(unquote).or(from_type).filter(|a| !a.is_empty())
}

fn key(method: &str, query: &str, content_type: Option<&str>, soap_action: Option<&str>, body: &[u8]) -> Key {
    if !method.eq_ignore_ascii_case("POST") {
        return Key::Get { method: method.to_ascii_uppercase(), query: query.to_ascii_lowercase() };
    }
    let media = media_type(content_type);
    match std::str::from_utf8(body).ok().and_then(request_meaning) {
        Some(meaning) => Key::Soap { media, action: action(content_type, soap_action), meaning },
        None => Key::Raw { media, body: body.to_vec() },
    }
}

fn recording_key(r: &Recording) -> Key {
    let (path, query) = r.target.split_once('?').unwrap_or((&r.target, ""));
    let _ = path;
    key(&r.method, query, r.request_header("content-type"), r.request_header("soapaction"), &r.request_body)
}

/// Answers from recorded exchanges (see the module documentation). Serve it with
/// [`super::ServerHandle::start`] or [`super::serve`], like a [`super::WebService`].
#[derive(Debug)]
pub struct Replay {
    recordings: Vec<Recording>,
    /// For each key, the recordings not replayed yet, in order, and how many it had.
    queues: Mutex<HashMap<Key, (VecDeque<usize>, usize)>>,
}

impl Replay {
    /// Replays `recordings`, in their order.
    pub fn new(recordings: Vec<Recording>) -> Self {
        let mut queues: HashMap<Key, (VecDeque<usize>, usize)> = HashMap::new();
        for (i, r) in recordings.iter().enumerate() {
            let entry = queues.entry(recording_key(r)).or_default();
            entry.0.push_back(i);
            entry.1 += 1;
        }
        Replay { recordings, queues: Mutex::new(queues) }
    }

    /// Replays the exchanges of a directory written by [`super::Recorder`] (or `engageip
    /// record`), or any directory in that layout, such as the recorded ASMX captures.
    pub fn from_dir(dir: impl AsRef<Path>) -> Result<Self, RecordingError> {
        Ok(Replay::new(read_dir(dir.as_ref())?))
    }

    /// The recordings, in order.
    pub fn recordings(&self) -> &[Recording] {
        &self.recordings
    }

    /// How many recordings have not been replayed yet.
    pub fn remaining(&self) -> usize {
        self.queues.lock().unwrap_or_else(PoisonError::into_inner).values().map(|(q, _)| q.len()).sum()
    }

    /// The next recording for `key` and how many it had in all.
    fn next(&self, key: &Key) -> (Option<&Recording>, usize) {
        let mut queues = self.queues.lock().unwrap_or_else(PoisonError::into_inner);
        match queues.get_mut(key) {
            Some((queue, total)) => (queue.pop_front().and_then(|i| self.recordings.get(i)), *total),
            None => (None, 0),
        }
    }

    fn answer(&self, request: &EndpointRequest<'_>) -> HttpResponse {
        let key = key(request.method, request.query, request.content_type, request.soap_action, request.body);
        let (found, total) = self.next(&key);
        if let Some(r) = found {
            let content_type = r.response_header("content-type").unwrap_or_default().to_owned();
            let mut body = r.response_body.clone();
            if matches!(key, Key::Get { .. }) && request.has_query("wsdl") {
                body = wsdl_for_endpoint(&String::from_utf8_lossy(&body), request.url).into_bytes();
            }
            return HttpResponse { status: r.status, content_type, body };
        }
        match &key {
            Key::Get { method, .. } if method == "GET" => describe(request),
            // HEAD, PUT, ...: what the dispatcher answers (405).
            Key::Get { .. } => match crate::runtime::server::Incoming::open(&request.http()) {
                Err(answer) => answer,
                Ok(_) => unmatched(SoapVersion::Soap11, "unknown", 0),
            },
            Key::Soap { meaning, .. } => unmatched(meaning.version, &meaning.operation, total),
            Key::Raw { media, .. } => {
                let version = if media == "application/soap+xml" { SoapVersion::Soap12 } else { SoapVersion::Soap11 };
                let operation = action(request.content_type, request.soap_action)
                    .and_then(|a| a.rsplit('/').next().map(str::to_owned))
                    .unwrap_or_else(|| "unknown".to_owned());
                unmatched(version, &operation, total)
            }
        }
    }
}

/// The answer to a request no recording matches: HTTP 500 and a `soap:Server` fault naming
/// the operation.
fn unmatched(version: SoapVersion, operation: &str, used: usize) -> HttpResponse {
    let reason = match used {
        0 => format!("No recording matches this {operation} request."),
        1 => format!("No recording matches this {operation} request: its one recorded answer was already replayed."),
        n => format!("No recording matches this {operation} request: its {n} recorded answers were already replayed."),
    };
    let body = encode_fault(&Fault::new(version, FaultCode::Receiver, reason)).unwrap_or_default();
    HttpResponse { status: 500, content_type: version.content_type(None), body: body.into_bytes() }
}

impl Endpoint for Replay {
    async fn reply<'a>(&'a self, request: &'a EndpointRequest<'a>, _options: &'a ServeOptions) -> Reply {
        Reply::Send(self.answer(request))
    }
}
