"""The help center as knowledge: pages, Markdown files and PDFs, chunked along their headings and kept in sync.

    sync.py        sync_sources(): list each source, sync each document, index what changed
    updating.py    one document: fetch or read it, unchanged / indexed / failed / retired
    discovery.py   a source's documents: a page, a sitemap (and its index), a folder
    extract.py     bytes to title, language and sections, by content type (html.py, sections.py, pdf.py)
    chunking.py    sections to passages of bounded size, each with its heading path and anchor
    store.py       the SQL of sources, documents and passages
    indexing.py    the passages' BM25 term weights and vectors
    report.py      what a sync did, and its lines

Fetching goes through shared/clients/pages.py (robots.txt, same host, public addresses only).
"""
