//! The one paging loop (apig-api.md §1.4): pages of `limit` from offset 0 until a page comes back
//! shorter, as the Go provider pages. A service that ignores `offset` would answer full pages
//! forever, so the loop stops after [`MAX_PAGES`] with an error instead of spinning.

use std::future::Future;

use super::error::ApiError;

/// Most pages one listing reads: 100 000 objects at the usual page size of 100.
pub(crate) const MAX_PAGES: usize = 1000;

/// Where a paged listing stands: the offset of the next page, until a page comes back shorter
/// than `limit`. For callers that handle each page as it arrives (a streamed listing);
/// [`collect_pages`] drives it to collect everything.
#[derive(Debug)]
pub struct Pages {
    what: String,
    limit: u32,
    offset: u64,
    full_pages: usize,
    ended: bool,
}

impl Pages {
    /// `what` names the list in the error of one that never ends ("the certificate list").
    pub fn new(what: &str, limit: u32) -> Pages {
        Pages { what: what.into(), limit, offset: 0, full_pages: 0, ended: false }
    }

    /// The offset of the next page to fetch; `None` once the list has ended.
    pub fn next_offset(&self) -> Option<u64> {
        (!self.ended).then_some(self.offset)
    }

    /// Records a fetched page of `items` items. `Err` after [`MAX_PAGES`] full pages: the
    /// service seems to ignore `offset`.
    pub fn record(&mut self, items: usize) -> Result<(), ApiError> {
        if items < self.limit as usize {
            self.ended = true;
            return Ok(());
        }
        self.offset += items as u64;
        self.full_pages += 1;
        if self.full_pages >= MAX_PAGES {
            return Err(ApiError::Decode {
                method: "GET".into(),
                path: self.what.clone(),
                message: format!(
                    "the list was still full after {MAX_PAGES} pages of {}; the service seems to ignore offset",
                    self.limit
                ),
            });
        }
        Ok(())
    }
}

/// Every item of a paged list; `page(offset)` fetches one page of `limit` items.
pub(crate) async fn collect_pages<T, F, Fut>(what: &str, limit: u32, mut page: F) -> Result<Vec<T>, ApiError>
where
    F: FnMut(u64) -> Fut,
    Fut: Future<Output = Result<Vec<T>, ApiError>>,
{
    let mut all = Vec::new();
    let mut pages = Pages::new(what, limit);
    while let Some(offset) = pages.next_offset() {
        let items = page(offset).await?;
        pages.record(items.len())?;
        all.extend(items);
    }
    Ok(all)
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
