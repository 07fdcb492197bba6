//! A screen: the blocks of one input, in order of first appearance.

use super::Block;

/// The blocks read from one input, in order of first appearance.
///
/// How the input was read (the column mapping, the response convention, the warnings) is
/// the reader's business: [`crate::input::read_screen`] returns it beside the screen.
#[derive(Debug, Clone, PartialEq)]
pub struct Screen {
    source: String,
    blocks: Vec<Block>,
}

impl Screen {
    /// A screen from its blocks, in the order given.
    pub fn new(source: impl Into<String>, blocks: Vec<Block>) -> Screen {
        Screen {
            source: source.into(),
            blocks,
        }
    }

    /// Display name of the input (file path, or `<stdin>`).
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The blocks, in order of first appearance in the input.
    pub fn blocks(&self) -> &[Block] {
        &self.blocks
    }

    /// The block with an id, if any.
    pub fn block(&self, id: &str) -> Option<&Block> {
        self.blocks.iter().find(|block| block.id() == id)
    }

    /// The blocks, owned.
    pub fn into_blocks(self) -> Vec<Block> {
        self.blocks
    }
}
