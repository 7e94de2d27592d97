// A stand-in for the journal: appends 400 bytes and fdatasyncs every 2 ms for SECONDS, then prints the
// latency quantiles of those appends. Usage: probe SECONDS FILE.
#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <unistd.h>
#include <time.h>
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec*1e3+t.tv_nsec/1e6;}
static int cmp(const void*a,const void*b){double x=*(double*)a,y=*(double*)b;return x<y?-1:x>y;}
int main(int c,char**v){double secs=atof(v[1]);int fd=open(v[2],O_WRONLY|O_CREAT|O_APPEND,0600);char buf[400];for(int i=0;i<400;i++)buf[i]='x';
double end=now()+secs*1e3;int n=0;static double lat[400000];
while(now()<end){double t=now();write(fd,buf,400);fdatasync(fd);lat[n++]=now()-t;usleep(2000);}
qsort(lat,n,sizeof(double),cmp);printf("n=%d p50=%.1f p99=%.1f p999=%.1f max=%.1f\n",n,lat[n/2],lat[n*99/100],lat[n*999/1000],lat[n-1]);unlink(v[2]);}
