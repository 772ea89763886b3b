//! Paging of 2010 lists: `Page` and `PageSize` (1–1000, default 50; `PageToken` is
//! accepted and ignored, since pages are numbered), and the `uri`, `first_page_uri`,
//! `next_page_uri` and `previous_page_uri` that keep the list's filters.

use crate::error::ServerError;
use crate::page::PageRequest;
use crate::view::ListPage;

/// The default page size.
const DEFAULT_PAGE_SIZE: u32 = 50;
/// The largest page size.
const MAX_PAGE_SIZE: u32 = 1000;

/// The page a 2010 list request asks for.
pub fn request(params: &[(String, String)]) -> Result<PageRequest, ServerError> {
    let get = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
    };
    let number = |name: &str, raw: &str| {
        raw.parse::<u32>().map_err(|_| {
            ServerError::bad_request(format!("{name} {raw:?} is invalid: use a whole number"))
        })
    };
    let page = get("Page").map_or(Ok(0), |raw| number("Page", raw))?;
    let size = get("PageSize").map_or(Ok(DEFAULT_PAGE_SIZE), |raw| number("PageSize", raw))?;
    if !(1..=MAX_PAGE_SIZE).contains(&size) {
        return Err(ServerError::bad_request(format!(
            "PageSize \"{size}\" is invalid: use a page size from 1 to {MAX_PAGE_SIZE}"
        )));
    }
    Ok(PageRequest { page, num: size })
}

/// The paging fields of the page `req` of a list at `path` (filters from `params`) that
/// holds `len` items of `total`.
pub fn page(
    path: &str,
    params: &[(String, String)],
    req: PageRequest,
    total: u64,
    len: u64,
) -> ListPage {
    let filters: Vec<&(String, String)> = params
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "Page" | "PageSize" | "PageToken"))
        .collect();
    let filters = serde_urlencoded::to_string(&filters).unwrap_or_default();
    let uri = |page: u32| {
        let sep = if filters.is_empty() { "" } else { "&" };
        format!("{path}?{filters}{sep}PageSize={}&Page={page}", req.num)
    };
    let start = req.offset();
    ListPage {
        page: req.page,
        page_size: req.num,
        start,
        end: start + len.saturating_sub(1),
        uri: uri(req.page),
        first_page_uri: uri(0),
        next_page_uri: (start + len < total).then(|| uri(req.page + 1)),
        previous_page_uri: (req.page > 0).then(|| uri(req.page - 1)),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn p(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn pages_keep_filters_and_link_their_neighbours() {
        let params = p(&[("Status", "completed"), ("PageSize", "2"), ("Page", "1")]);
        let req = request(&params).unwrap();
        let page = page("/L.json", &params, req, 5, 2);
        assert_eq!(page.uri, "/L.json?Status=completed&PageSize=2&Page=1");
        assert_eq!(
            page.next_page_uri.as_deref(),
            Some("/L.json?Status=completed&PageSize=2&Page=2")
        );
        assert_eq!(
            page.previous_page_uri.as_deref(),
            Some("/L.json?Status=completed&PageSize=2&Page=0")
        );
        assert_eq!((page.start, page.end), (2, 3));
        let last = super::page("/L.json", &params, PageRequest { page: 2, num: 2 }, 5, 1);
        assert_eq!(last.next_page_uri, None);
        for bad in [
            &[("PageSize", "0")][..],
            &[("PageSize", "1001")],
            &[("Page", "x")],
        ] {
            assert!(request(&p(bad)).is_err(), "{bad:?}");
        }
    }
}
