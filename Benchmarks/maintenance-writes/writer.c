// A stand-in for the gateway's maintenance thread: writes a 10 MB file (a snapshot) every half second,
// rounds times, in one of four ways. Usage: writer MODE ROUNDS (in the folder to measure).
//   0: one write, then fsync
//   1: 1 MiB slices, each fdatasync'ed, 20 ms apart, then fsync
//   2: 1 MiB slices, each written back with sync_file_range(WAIT_BEFORE|WRITE|WAIT_AFTER), then fsync (as the gateway)
//   3: 1 MiB slices, writeback started with sync_file_range(WRITE) only, then fsync
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <unistd.h>
#include <string.h>
#include <time.h>
int main(int c, char**v){int mode=atoi(v[1]);int rounds=atoi(v[2]);size_t size=10<<20, slice=1<<20;char*buf=malloc(size);for(size_t i=0;i<size;i++)buf[i]=rand();
for(int r=0;r<rounds;r++){char name[64];sprintf(name,"./.w%d.dat",r%3);unlink(name);int fd=open(name,O_WRONLY|O_CREAT|O_TRUNC,0600);
 if(mode==0){write(fd,buf,size);fsync(fd);}else{for(size_t o=0;o<size;o+=slice){write(fd,buf+o,slice);
  if(mode==1)fdatasync(fd);else if(mode==2)sync_file_range(fd,o,slice,SYNC_FILE_RANGE_WAIT_BEFORE|SYNC_FILE_RANGE_WRITE|SYNC_FILE_RANGE_WAIT_AFTER);else sync_file_range(fd,o,slice,SYNC_FILE_RANGE_WRITE);
  usleep(20000);} fsync(fd);}
 close(fd);usleep(500000);}
for(int r=0;r<3;r++){char name[64];sprintf(name,"./.w%d.dat",r);unlink(name);}return 0;}
