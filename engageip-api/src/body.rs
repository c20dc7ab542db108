//! Reading a response body under a size limit without copying it when it arrives whole.

use bytes::Bytes;

/// Why a body could not be read.
pub(crate) enum BodyError {
    /// More than the limit arrived (after decompression, when the response was compressed).
    TooLarge,
    /// The connection failed while the body arrived.
    Read(reqwest::Error),
}

/// Reads `response`'s body, refusing more than `limit` bytes as they arrive. A body that
/// arrives in one piece (most small responses) is returned as that piece, without a copy;
/// one in several pieces is gathered into a buffer sized from `Content-Length` when there is
/// one (so it does not regrow, which would copy it and briefly hold it twice).
pub(crate) async fn read_limited(response: &mut reqwest::Response, limit: usize) -> Result<Bytes, BodyError> {
    let capacity = response.content_length().map_or(0, |n| usize::try_from(n).unwrap_or(usize::MAX).min(limit));
    let first = match response.chunk().await.map_err(BodyError::Read)? {
        Some(first) => first,
        None => return Ok(Bytes::new()),
    };
    if first.len() > limit {
        return Err(BodyError::TooLarge);
    }
    let Some(second) = response.chunk().await.map_err(BodyError::Read)? else {
        return Ok(first);
    };
    let mut gathered: Vec<u8> = Vec::with_capacity(capacity.max(first.len() + second.len()));
    gathered.extend_from_slice(&first);
    drop(first);
    let mut next = Some(second);
    while let Some(chunk) = next {
        if gathered.len() + chunk.len() > limit {
            return Err(BodyError::TooLarge);
        }
        gathered.extend_from_slice(&chunk);
        next = response.chunk().await.map_err(BodyError::Read)?;
    }
    Ok(Bytes::from(gathered))
}
