//! The one paging loop (apig-api.md §1.4): pages of `limit` from offset 0 until a page comes back
//! shorter, as the Go provider pages. A service that ignores `offset` would answer full pages
//! forever, so the loop stops after [`MAX_PAGES`] with an error instead of spinning.

use std::future::Future;

use super::error::ApiError;

/// Most pages one listing reads: 100 000 objects at the usual page size of 100.
pub const MAX_PAGES: usize = 1000;

/// Every item of a paged list; `page(offset)` fetches one page of `limit` items.
pub(crate) async fn collect_pages<T, F, Fut>(what: &str, limit: u32, mut page: F) -> Result<Vec<T>, ApiError>
where
    F: FnMut(u64) -> Fut,
    Fut: Future<Output = Result<Vec<T>, ApiError>>,
{
    let mut all = Vec::new();
    let mut offset: u64 = 0;
    for _ in 0..MAX_PAGES {
        let items = page(offset).await?;
        let n = items.len();
        all.extend(items);
        if n < limit as usize {
            return Ok(all);
        }
        offset += n as u64;
    }
    Err(ApiError::Decode {
        method: "GET".into(),
        path: what.into(),
        message: format!(
            "the list was still full after {MAX_PAGES} pages of {limit}; the service seems to ignore offset"
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn pages_until_a_short_page_and_stops_a_list_that_never_ends() {
        let offsets = std::sync::Mutex::new(Vec::new());
        let all = collect_pages("list", 2, |offset| {
            offsets.lock().unwrap().push(offset);
            async move { Ok((offset..(offset + 2).min(5)).collect::<Vec<u64>>()) }
        })
        .await
        .unwrap();
        assert_eq!(all, [0, 1, 2, 3, 4]);
        assert_eq!(*offsets.lock().unwrap(), [0, 2, 4]);

        let exact = collect_pages("list", 2, |offset| async move {
            Ok(if offset < 4 { vec![offset, offset + 1] } else { Vec::new() })
        })
        .await
        .unwrap();
        assert_eq!(exact.len(), 4, "a last full page is followed by an empty one");

        let endless = collect_pages("GET /v2/p/apigw/certificates", 1, |_| async { Ok(vec![0u8]) }).await;
        assert!(matches!(endless, Err(ApiError::Decode { .. })), "{endless:?}");
    }
}
