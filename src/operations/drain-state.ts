import { Injectable } from '@nestjs/common';

/** Set once shutdown begins: new calls are turned away while live ones finish. */
@Injectable()
export class DrainState {
  private drainingSince?: Date;

  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  startDraining(): void {
    this.drainingSince ??= new Date();
  }
}
