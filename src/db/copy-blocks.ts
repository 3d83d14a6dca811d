const BLOCK = 1 << 20

interface Block {
  buffer: Buffer
  used: number
  /** Views of it handed out and not given back yet. */
  lent: number
  full: boolean
}

/**
 * Where a lending COPY keeps what it read (see ReusingSocket): each read is copied into a 1 MB
 * block, and the chunks handed out are views of it. A block is filled again only once it was full
 * and every view of it was given back, so a few blocks serve a whole export.
 */
export class BlockPool {
  private readonly free: Block[] = []
  private current: Block | undefined
  private readonly owner = new WeakMap<Buffer, Block>()

  /** A copy of `data` in the current block. */
  copy(data: Buffer): Buffer {
    let block = this.current
    if (!block || block.buffer.length - block.used < data.length) {
      if (block) this.retire(block)
      block = this.current = this.free.pop() ?? {
        buffer: Buffer.allocUnsafe(Math.max(BLOCK, data.length)),
        used: 0,
        lent: 0,
        full: false,
      }
    }
    const region = block.buffer.subarray(block.used, block.used + data.length)
    data.copy(region)
    block.used += data.length
    return region
  }

  /** Hands out `view` if it lies in the block copy() filled last; any other buffer is not lent. */
  lend(view: Buffer): void {
    const block = this.current
    if (!block || view.buffer !== block.buffer.buffer) return
    block.lent++
    this.owner.set(view, block)
  }

  /** A view handed out is written and may be overwritten; other buffers, and a second release, are ignored. */
  release(view: Buffer): void {
    const block = this.owner.get(view)
    if (!block) return
    this.owner.delete(view)
    block.lent--
    if (block.full && block.lent === 0) this.recycle(block)
  }

  private retire(block: Block): void {
    block.full = true
    if (block.lent === 0) this.recycle(block)
  }

  private recycle(block: Block): void {
    block.used = 0
    block.full = false
    this.free.push(block)
  }
}
