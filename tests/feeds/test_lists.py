"""Feed lists: URLs, files of URLs, OPML; problems name the file and line."""
from whimbrel.feeds import read_feed_list


def test_urls_files_and_opml_in_order_each_once(tmp_path):
    listing = tmp_path / "feeds.txt"
    listing.write_text("# world news\nhttps://a.example/rss\n\nhttps://b.example/atom.xml\n", encoding="utf-8")
    opml = tmp_path / "reader.opml"
    opml.write_text("""<?xml version="1.0"?>
<opml version="2.0"><head><title>export</title></head><body>
  <outline text="Africa"><outline text="C" type="rss" xmlUrl="https://c.example/feed"/></outline>
  <outline text="A again" type="rss" xmlUrl="https://a.example/rss"/>
  <outline text="a plain link" htmlUrl="https://d.example/"/>
</body></opml>""", encoding="utf-8")
    urls, problems = read_feed_list(["https://z.example/rss", str(listing), str(opml)])
    assert urls == ["https://z.example/rss", "https://a.example/rss", "https://b.example/atom.xml",
                    "https://c.example/feed"]
    assert problems == []


def test_a_bad_line_names_its_file_and_line(tmp_path):
    listing = tmp_path / "feeds.txt"
    listing.write_text("https://a.example/rss\nftp://old.example/feed\n", encoding="utf-8")
    urls, problems = read_feed_list([str(listing)])
    assert urls == ["https://a.example/rss"]
    assert len(problems) == 1 and str(problems[0]).startswith(f"{listing}:2: not an http(s) URL")
    assert "hint:" in str(problems[0])


def test_malformed_opml_names_the_line(tmp_path):
    opml = tmp_path / "broken.opml"
    opml.write_text("<?xml version='1.0'?>\n<opml><body>\n<outline xmlUrl='https://a.example/rss'>\n</opml>",
                    encoding="utf-8")
    urls, problems = read_feed_list([str(opml)])
    assert urls == []
    assert str(problems[0]).startswith(f"{opml}:4: not valid OPML")


def test_missing_empty_and_binary_files(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing yet\n", encoding="utf-8")
    binary = tmp_path / "feeds.bin"
    binary.write_bytes(b"\x00\x01\x02")
    urls, problems = read_feed_list([str(tmp_path / "absent.txt"), str(empty), str(binary), "https://bad url"])
    assert urls == []
    messages = [str(p) for p in problems]
    assert messages[0].startswith(f"{tmp_path / 'absent.txt'}: no such file")
    assert messages[1].startswith(f"{empty}: lists no feeds")
    assert messages[2].startswith(f"{binary}: binary file")
    assert messages[3].startswith("https://bad url: not a valid URL")
