"""The codebook: the code tree with its counts, its edits, memos, and codebook files."""
