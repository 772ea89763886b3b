//! Paging of list resources: the `page` and `num` parameters and the attributes of the
//! list element (`page`, `numpages`, `pagesize`, `total`, `start`, `end`).

/// The default page size of the 2008 API.
pub const DEFAULT_NUM: u32 = 50;
/// The largest page size the 2008 API allows.
pub const MAX_NUM: u32 = 1000;

/// A `page` or `num` parameter that cannot be used; a 400 (`ServerError::BadRequest`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PageError {
    /// Not a non-negative integer.
    #[error("{name} {raw:?} is invalid: use a non-negative integer")]
    NotAnInteger {
        /// `page` or `num`.
        name: &'static str,
        /// The value given.
        raw: String,
    },
    /// `num=0`.
    #[error("num \"0\" is invalid: use a page size from 1 to 1000")]
    ZeroSize,
}

/// Which page a list request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    /// Page number, from 0.
    pub page: u32,
    /// Page size, 1..=1000.
    pub num: u32,
}

impl PageRequest {
    /// Reads `page` and `num` from query parameters. A `num` above 1000 is capped (as the
    /// 2008 API did); a value that is not a non-negative integer, or `num=0`, is refused.
    pub fn from_params(params: &[(String, String)]) -> Result<Self, PageError> {
        let get = |name: &str| {
            params
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        let parse = |name: &'static str, raw: &str| {
            raw.parse::<u32>().map_err(|_| PageError::NotAnInteger {
                name,
                raw: raw.to_owned(),
            })
        };
        let page = match get("page") {
            Some(raw) => parse("page", raw)?,
            None => 0,
        };
        let num = match get("num") {
            Some(raw) => parse("num", raw)?,
            None => DEFAULT_NUM,
        };
        if num == 0 {
            return Err(PageError::ZeroSize);
        }
        Ok(PageRequest {
            page,
            num: num.min(MAX_NUM),
        })
    }

    /// The index of the first item on this page.
    pub fn offset(&self) -> u64 {
        u64::from(self.page) * u64::from(self.num)
    }
}

/// The paging attributes of one page of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    /// This page's number.
    pub page: u32,
    /// How many pages the list has (at least 1: page 0 always exists).
    pub numpages: u64,
    /// The page size asked for.
    pub pagesize: u32,
    /// Items in the whole (filtered) list.
    pub total: u64,
    /// Index of the first item on the page.
    pub start: u64,
    /// Index of the last item on the page (equal to `start` on an empty page).
    pub end: u64,
    /// Items on this page.
    pub len: u64,
}

impl Page {
    /// The attributes for `len` items shown out of `total`.
    pub fn new(req: PageRequest, total: u64, len: u64) -> Self {
        let start = req.offset();
        Page {
            page: req.page,
            numpages: total.div_ceil(u64::from(req.num)).max(1),
            pagesize: req.num,
            total,
            start,
            end: start + len.saturating_sub(1),
            len,
        }
    }

    /// True when the page holds no items.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn req(p: &[(&str, &str)]) -> Result<PageRequest, PageError> {
        let p: Vec<_> = p
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        PageRequest::from_params(&p)
    }

    #[test]
    fn defaults_and_caps() {
        assert_eq!(req(&[]).unwrap(), PageRequest { page: 0, num: 50 });
        assert_eq!(req(&[("num", "5000")]).unwrap().num, 1000);
        assert_eq!(req(&[("num", "0")]), Err(PageError::ZeroSize));
        assert_eq!(
            req(&[("num", "ten")]).unwrap_err().to_string(),
            "num \"ten\" is invalid: use a non-negative integer"
        );
        assert!(req(&[("page", "-1")]).is_err());
        assert!(req(&[("num", "ten")]).is_err());
    }

    #[test]
    fn attributes_match_the_api_example() {
        // <Calls page="0" numpages="1" pagesize="50" total="38" start="0" end="37">
        let p = Page::new(PageRequest { page: 0, num: 50 }, 38, 38);
        assert_eq!((p.numpages, p.start, p.end), (1, 0, 37));
        let p = Page::new(PageRequest { page: 2, num: 10 }, 25, 5);
        assert_eq!((p.numpages, p.start, p.end), (3, 20, 24));
        let p = Page::new(PageRequest { page: 0, num: 10 }, 0, 0);
        assert_eq!((p.numpages, p.start, p.end, p.is_empty()), (1, 0, 0, true));
    }
}
